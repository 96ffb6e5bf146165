//! The HTTP surface: Confluent Cloud's control plane (org/v2, cmk/v2, iam/v2), Kafka REST v3 and
//! the Metrics API v2, same paths, shapes, status codes, auth and error envelopes.

mod acls;
mod cmk;
pub mod common;
mod environments;
pub mod errors;
mod iam;
mod kafka_rest;
pub mod metrics;

use std::sync::Arc;

use axum::routing::{get, post};
use axum::Router;

use crate::organization::Organization;

/// The sandbox's HTTP surface; `metrics_rate_limit` is the Metrics API's allowance a minute
/// per key (0: none).
pub fn router(cloud: Arc<Organization>, metrics_rate_limit: usize) -> Router {
    Router::new()
        .route(
            "/org/v2/environments",
            get(environments::list).post(environments::create),
        )
        .route(
            "/org/v2/environments/{id}",
            get(environments::get)
                .patch(environments::update)
                .delete(environments::delete),
        )
        .route("/cmk/v2/clusters", get(cmk::list).post(cmk::create))
        .route(
            "/cmk/v2/clusters/{id}",
            get(cmk::get).patch(cmk::update).delete(cmk::delete),
        )
        .route(
            "/iam/v2/service-accounts",
            get(iam::list_sa).post(iam::create_sa),
        )
        .route(
            "/iam/v2/service-accounts/{id}",
            get(iam::get_sa)
                .patch(iam::update_sa)
                .delete(iam::delete_sa),
        )
        .route(
            "/iam/v2/api-keys",
            get(iam::list_keys).post(iam::create_key),
        )
        .route(
            "/iam/v2/api-keys/{id}",
            get(iam::get_key)
                .patch(iam::update_key)
                .delete(iam::delete_key),
        )
        .route("/kafka/v3/clusters/{cluster}", get(kafka_rest::cluster))
        .route(
            "/kafka/v3/clusters/{cluster}/topics",
            get(kafka_rest::list_topics).post(kafka_rest::create_topic),
        )
        // Before `{topic}`: "-" is Confluent's "all topics".
        .route(
            "/kafka/v3/clusters/{cluster}/topics/-/configs",
            get(kafka_rest::list_all_configs),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}",
            get(kafka_rest::get_topic).delete(kafka_rest::delete_topic),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}/configs",
            get(kafka_rest::list_configs),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}/configs:alter",
            post(kafka_rest::alter_configs),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}/partitions",
            get(kafka_rest::list_partitions),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}/partitions/{partition}",
            get(kafka_rest::get_partition),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/topics/{topic}/records",
            post(kafka_rest::produce),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/consumer-groups",
            get(kafka_rest::list_groups),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/acls",
            get(acls::list).post(acls::create).delete(acls::delete),
        )
        .route(
            "/kafka/v3/clusters/{cluster}/acls:batch",
            post(acls::create_batch),
        )
        .route("/iam/v2/users", get(iam::list_users))
        .route("/iam/v2/users/{id}", get(iam::get_user))
        .route("/v2/metrics/{dataset}/query", post(metrics::query))
        .route(
            "/v2/metrics/{dataset}/attributes",
            post(metrics::attributes),
        )
        .route(
            "/v2/metrics/{dataset}/descriptors/metrics",
            get(metrics::metric_descriptors),
        )
        .route(
            "/v2/metrics/{dataset}/descriptors/resources",
            get(metrics::resource_descriptors),
        )
        .fallback(|| async {
            errors::RestError::cloud(
                axum::http::StatusCode::NOT_FOUND,
                "not_found",
                "No such API path in the sandbox cloud.",
            )
        })
        .layer(axum::Extension(Arc::new(metrics::RateLimit::new(
            metrics_rate_limit,
        ))))
        .with_state(cloud)
}
