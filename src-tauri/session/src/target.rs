/// Which cluster a cluster-scoped call is about: a connection, and for Cloud API connections the
/// environment and cluster.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Target {
    pub connection_id: String,
    /// Empty for a Kafka connection.
    pub environment_id: String,
    /// Empty for a Kafka connection.
    pub cluster_id: String,
}
