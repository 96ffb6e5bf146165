//! The sandbox's integration tests as one test binary: one link instead of seven. `broker` is
//! the real broker fixture they share; `front_door_support` the front door in front of one.

mod broker;
mod front_door_support;

mod broker_bypass;
mod cluster_alone;
mod front_door;
mod front_door_raw;
mod kafka_client;
mod session_secrets;
