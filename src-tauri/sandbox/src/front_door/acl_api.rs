//! DescribeAcls, CreateAcls and DeleteAcls over the Kafka protocol, answered by the front door
//! from the cluster's ACLs (the brokers have no authorizer): what `confluent kafka acl …` and any
//! Kafka admin client use. Listing needs DESCRIBE on the cluster, changing ALTER.

use std::collections::BTreeMap;

use bytes::{Bytes, BytesMut};
use kafka_protocol::messages::create_acls_response::AclCreationResult;
use kafka_protocol::messages::delete_acls_response::{
    DeleteAclsFilterResult, DeleteAclsMatchingAcl,
};
use kafka_protocol::messages::describe_acls_response::{AclDescription, DescribeAclsResource};
use kafka_protocol::messages::{
    ApiKey, CreateAclsResponse, DeleteAclsResponse, DescribeAclsResponse, ResponseHeader,
};
use kafka_protocol::protocol::{Encodable, StrBytes};

use super::access::{code, Gate, Verdict};
use super::requests_gen as rq;
use super::walk::{Elem, Request};
use crate::acl::{
    AclBinding, AclFilter, Operation, PatternType, Permission, PrincipalFilter, ResourceType,
};

fn s(x: &str) -> StrBytes {
    StrBytes::from_string(x.to_string())
}

fn encode<M: Encodable>(key: ApiKey, req: &Request, body: &M) -> Verdict {
    let mut out = BytesMut::new();
    let header = ResponseHeader::default().with_correlation_id(req.correlation_id);
    let r = header
        .encode(&mut out, key.response_header_version(req.version))
        .and_then(|_| body.encode(&mut out, req.version));
    match r {
        Ok(()) => Verdict::Answer(Bytes::from(out)),
        Err(e) => Verdict::Close(format!("could not encode an ACL answer: {e}")),
    }
}

const NOT_AUTHORIZED: &str = "Cluster authorization failed.";

/// Field indexes shared by DescribeAcls' filter, DeleteAcls' filters and CreateAcls' creations:
/// all three lay out type, name, pattern, principal, host, operation, permission in this order.
const TYPE: usize = 0;
const NAME: usize = 1;
const PATTERN: usize = 2;
const PRINCIPAL: usize = 3;
const HOST: usize = 4;
const OPERATION: usize = 5;
const PERMISSION: usize = 6;

/// A filter from its wire form, or what is wrong with it.
fn filter_of(e: &Elem) -> Result<AclFilter, String> {
    let code = |i: usize| e.int(i).unwrap_or(0) as i8;
    let bad = |what: &str, c: i8| format!("unknown {what} code {c}");
    Ok(AclFilter {
        resource_type: ResourceType::from_code(code(TYPE))
            .ok_or_else(|| bad("resource type", code(TYPE)))?,
        resource_name: e.str(NAME).map(str::to_string),
        pattern_type: PatternType::from_code(code(PATTERN))
            .ok_or_else(|| bad("pattern type", code(PATTERN)))?,
        principal: PrincipalFilter::parse(e.str(PRINCIPAL)),
        host: e.str(HOST).map(str::to_string),
        operation: Operation::from_code(code(OPERATION))
            .ok_or_else(|| bad("operation", code(OPERATION)))?,
        permission: Permission::from_code(code(PERMISSION))
            .ok_or_else(|| bad("permission", code(PERMISSION)))?,
    })
}

fn binding_of(e: &Elem, cluster: &str) -> Result<AclBinding, String> {
    let f = filter_of(e)?;
    Ok(AclBinding {
        cluster: cluster.to_string(),
        resource_type: f.resource_type,
        resource_name: f.resource_name.unwrap_or_default(),
        pattern_type: f.pattern_type,
        principal: e
            .str(PRINCIPAL)
            .map(crate::acl::normalize_principal)
            .unwrap_or_default(),
        host: f.host.unwrap_or_default(),
        operation: f.operation,
        permission: f.permission,
    })
}

pub(super) fn answer(gate: &mut Gate, req: &Request) -> Verdict {
    match req.api_key {
        29 => describe(gate, req),
        30 => create(gate, req),
        _ => delete(gate, req),
    }
}

fn describe(gate: &mut Gate, req: &Request) -> Verdict {
    let mut body = DescribeAclsResponse::default();
    if !gate.cluster(Operation::Describe) {
        body.error_code = code::CLUSTER_AUTHORIZATION_FAILED;
        body.error_message = Some(s(NOT_AUTHORIZED));
        return encode(ApiKey::DescribeAcls, req, &body);
    }
    let filter = match filter_of(&req.body) {
        Ok(f) => f,
        Err(e) => {
            body.error_code = code::INVALID_REQUEST;
            body.error_message = Some(s(&e));
            return encode(ApiKey::DescribeAcls, req, &body);
        }
    };
    let acls = gate.guard.acls();
    let mut grouped: BTreeMap<(i8, String, i8), Vec<AclDescription>> = BTreeMap::new();
    for a in acls.iter().filter(|a| filter.matches(a)) {
        grouped
            .entry((
                a.resource_type.code(),
                a.resource_name.clone(),
                a.pattern_type.code(),
            ))
            .or_default()
            .push(
                AclDescription::default()
                    .with_principal(s(&a.principal))
                    .with_host(s(&a.host))
                    .with_operation(a.operation.code())
                    .with_permission_type(a.permission.code()),
            );
    }
    body.error_message = None;
    body.resources = grouped
        .into_iter()
        .map(|((t, n, p), acls)| {
            DescribeAclsResource::default()
                .with_resource_type(t)
                .with_resource_name(s(&n))
                .with_pattern_type(p)
                .with_acls(acls)
        })
        .collect();
    encode(ApiKey::DescribeAcls, req, &body)
}

fn create(gate: &mut Gate, req: &Request) -> Verdict {
    let creations = req
        .body
        .arr(rq::create_acls::create_acls_request::CREATIONS);
    let result = |code: i16, message: Option<String>| {
        AclCreationResult::default()
            .with_error_code(code)
            .with_error_message(message.as_deref().map(s))
    };
    let results = if !gate.cluster(Operation::Alter) {
        creations
            .iter()
            .map(|_| {
                result(
                    code::CLUSTER_AUTHORIZATION_FAILED,
                    Some(NOT_AUTHORIZED.into()),
                )
            })
            .collect()
    } else {
        let cluster = gate.guard.cluster_id();
        let parsed: Vec<Result<AclBinding, String>> =
            creations.iter().map(|e| binding_of(e, &cluster)).collect();
        let valid: Vec<AclBinding> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect();
        let mut stored = gate.guard.create_acls(valid).into_iter();
        parsed
            .into_iter()
            .map(|p| match p {
                Err(e) => result(code::INVALID_REQUEST, Some(e)),
                Ok(_) => match stored.next() {
                    Some(Ok(())) => result(0, None),
                    Some(Err(problem)) => result(code::INVALID_REQUEST, Some(problem.message)),
                    None => result(code::UNKNOWN_SERVER_ERROR, None),
                },
            })
            .collect()
    };
    encode(
        ApiKey::CreateAcls,
        req,
        &CreateAclsResponse::default().with_results(results),
    )
}

fn delete(gate: &mut Gate, req: &Request) -> Verdict {
    let filters = req.body.arr(rq::delete_acls::delete_acls_request::FILTERS);
    let failed = |code: i16, message: &str| {
        DeleteAclsFilterResult::default()
            .with_error_code(code)
            .with_error_message(Some(s(message)))
    };
    let results = if !gate.cluster(Operation::Alter) {
        filters
            .iter()
            .map(|_| failed(code::CLUSTER_AUTHORIZATION_FAILED, NOT_AUTHORIZED))
            .collect()
    } else {
        let parsed: Vec<Result<AclFilter, String>> = filters.iter().map(filter_of).collect();
        let valid: Vec<AclFilter> = parsed
            .iter()
            .filter_map(|p| p.as_ref().ok().cloned())
            .collect();
        match gate.guard.delete_acls(&valid) {
            Err(e) => parsed
                .iter()
                .map(|_| failed(code::UNKNOWN_SERVER_ERROR, &e))
                .collect(),
            Ok(deleted) => {
                let mut deleted = deleted.into_iter();
                parsed
                    .into_iter()
                    .map(|p| match p {
                        Err(e) => failed(code::INVALID_REQUEST, &e),
                        Ok(_) => DeleteAclsFilterResult::default()
                            .with_error_message(None)
                            .with_matching_acls(
                                deleted
                                    .next()
                                    .unwrap_or_default()
                                    .iter()
                                    .map(|a| {
                                        DeleteAclsMatchingAcl::default()
                                            .with_error_message(None)
                                            .with_resource_type(a.resource_type.code())
                                            .with_resource_name(s(&a.resource_name))
                                            .with_pattern_type(a.pattern_type.code())
                                            .with_principal(s(&a.principal))
                                            .with_host(s(&a.host))
                                            .with_operation(a.operation.code())
                                            .with_permission_type(a.permission.code())
                                    })
                                    .collect(),
                            ),
                    })
                    .collect()
            }
        }
    };
    encode(
        ApiKey::DeleteAcls,
        req,
        &DeleteAclsResponse::default().with_filter_results(results),
    )
}
