//! Every problem a form can report, by code. The window words each code in English and Korean
//! (ui/src/problems.ts); its type check fails when a code here has no wording there. Each doc
//! comment names the params the wording uses.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum ProblemCode {
    // Connections.
    ConnectionNameRequired,
    /// `max`
    NameTooLong,
    /// `name`
    NameTaken,
    /// The sandbox cannot be added: it is built in.
    SandboxBuiltIn,
    SandboxNotEditable,
    CloudKeyRequired,
    CloudKeyMalformed,
    CloudSecretRequired,
    UrlRequired,
    /// `scheme`
    UrlScheme,
    UrlNoHost,
    /// A query or fragment after the base URL.
    UrlExtra,
    /// `url`, `reason` (the URL parser's words)
    UrlInvalid,
    BootstrapRequired,
    BootstrapEmptyEntry,
    /// `server`
    BootstrapIpv6Open,
    /// `server`
    BootstrapNoHost,
    /// `server`, `host`
    BootstrapNoPort,
    /// `server`, `port`
    BootstrapBadPort,
    SaslUsernameRequired,
    SaslPasswordRequired,
    /// `path`
    CaFileMissing,
    // Topics.
    TopicNameRequired,
    /// `name`
    TopicNameReserved,
    /// `len`
    TopicNameTooLong,
    /// `char` (a single character; " " for a space)
    TopicNameChar,
    PartitionsWhole,
    /// `count`
    PartitionsTooFew,
    /// `count`, `limit`
    PartitionsOverLimit,
    /// `name`
    ConfigTwice,
    ConfigNameRequired,
    /// `name`, `choices` (comma-separated, in Kafka's spelling)
    ConfigChoice,
    /// `name`, `min`
    ConfigTooSmall,
    /// `name`, `min`
    ConfigNotWhole,
    // Clusters, metrics, keys.
    ClusterNameRequired,
    ClusterTypeRequired,
    EnvironmentNameRequired,
    ServiceAccountNameRequired,
    CkuMin,
    RangeOrder,
    OwnerRequired,
    PastedKeyIncomplete,
    // Sending.
    TopicRequired,
    PartitionWhole,
    /// `reason` (the JSON parser's words)
    ValueNotJson,
    /// `n` (1-based)
    HeaderUnnamed,
    TimestampTooEarly,
    /// `max`
    CountRange,
    // Record templates: every placeholder code has `placeholder` (its text) and `at` (1-based
    // character).
    /// `at`
    TemplateNotClosed,
    /// `known` (the placeholders there are)
    PlaceholderUnknown,
    PlaceholderBoundsNotNumbers,
    PlaceholderBoundsOrder,
    PlaceholderTwoBounds,
    PlaceholderNoArguments,
    PlaceholderIntBounds,
    PlaceholderPickChoices,
    PlaceholderStringLength,
    PlaceholderGiveLength,
    // Files of records.
    /// `line`, `reason`
    LineNotJson,
    /// `line`
    LineHeaders,
    /// `line`
    LinePartition,
    FileEmpty,
}
