use tauri_specta::{collect_commands, collect_events, Builder};

use crate::commands::{
    access, app, clipboard, clusters, connections, iam, learn, metrics, sample, sandbox, send,
    template, topics,
};

/// Every command and event the frontend may use, declared once.
pub fn specta_builder() -> Builder<tauri::Wry> {
    Builder::<tauri::Wry>::new()
        .commands(collect_commands![
            app::app_info,
            app::first_paint,
            connections::list_connections,
            connections::save_connection,
            connections::remove_connection,
            connections::connection_secret_state,
            sandbox::sandbox_status,
            sandbox::set_sandbox_running,
            sandbox::sandbox_cluster_brokers,
            sandbox::fail_sandbox_broker,
            sample::create_sample,
            clusters::list_environments,
            clusters::create_environment,
            clusters::list_clusters,
            clusters::create_cluster,
            clusters::get_cluster,
            clusters::update_cluster,
            clusters::delete_cluster,
            topics::list_topics,
            topics::create_topic,
            topics::topic_configs,
            topics::alter_topic_configs,
            topics::delete_topic,
            iam::list_service_accounts,
            iam::create_service_account,
            iam::list_api_keys,
            iam::create_api_key,
            iam::delete_api_key,
            iam::wait_for_api_key,
            iam::cancel_api_key_wait,
            access::my_account,
            access::list_acls,
            access::prepare_acl_key,
            access::add_acls,
            access::delete_acl,
            access::preview_preset,
            access::acl_equivalent,
            access::fix_for_refusal,
            access::held_keys,
            access::use_existing_key,
            access::use_held_key,
            access::forget_held_key,
            send::send_record,
            send::send_record_rest,
            send::bulk_send,
            send::cancel_bulk,
            send::start_tail,
            send::set_tail_paused,
            send::stop_tail,
            send::fetch_record,
            send::client_snippets,
            clipboard::copy_client_snippet,
            send::list_kafka_topics,
            send::key_partition,
            template::preview_templates,
            template::template_placeholders,
            metrics::metric_descriptors,
            metrics::query_metric,
            learn::check_sequence,
            learn::security_probe,
            learn::acl_lesson_key,
            learn::acl_lesson_try,
        ])
        .events(collect_events![
            connections::ConnectionsChanged,
            crate::sandbox::SandboxStatus,
            crate::sandbox::SandboxClusterEvent,
            sample::SampleProgress,
            iam::ApiKeyWait,
            send::BulkProgress,
            send::TailBatch
        ])
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use specta_typescript::Typescript;

    /// The committed `ui/src/bindings.ts` must equal what the Rust side generates now.
    /// `GUREUM_UPDATE_BINDINGS=1 cargo test bindings` rewrites it.
    #[test]
    fn typescript_bindings_are_fresh() {
        let committed = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
        let dir = tempfile::tempdir().unwrap();
        let fresh = dir.path().join("bindings.ts");
        super::specta_builder()
            .export(Typescript::default().header("// Generated from Rust by tauri-specta (src-tauri/app/bindings.rs). Do not edit.\n// @ts-nocheck"), &fresh)
            .expect("export bindings");
        let fresh = std::fs::read_to_string(&fresh).unwrap();
        if std::env::var_os("GUREUM_UPDATE_BINDINGS").is_some() {
            std::fs::write(&committed, &fresh).unwrap();
            return;
        }
        let old = std::fs::read_to_string(&committed).unwrap_or_default();
        assert!(
            old == fresh,
            "ui/src/bindings.ts is stale: run `GUREUM_UPDATE_BINDINGS=1 cargo test --lib bindings` and commit it"
        );
    }
}
