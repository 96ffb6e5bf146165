//! `gureum-broker`: one of the sandbox cloud's brokers, as a program of its own.
//!
//! The app starts each broker as `gureum-broker sandbox-broker …` (the protocol is in the
//! gureum-broker crate). It is a binary of the app's package, so `tauri build` builds it and every
//! package (deb, rpm, AppImage, app/dmg, nsis) installs it beside `gureum`. A program of its own
//! rather than a mode of `gureum`: a process started from the app's binary loads every GTK and
//! WebKit library first (measured on Linux: ~62 MB RSS and ~60 ms per broker, against ~17 MB and
//! ~7 ms here), and a Dedicated cluster runs one broker per CKU.

fn main() -> std::process::ExitCode {
    gureum_broker::run_if_broker_mode().unwrap_or_else(|| {
        eprintln!(
            "gureum-broker is started by Gureum's sandbox cloud, as `gureum-broker {} …`",
            gureum_broker::MODE
        );
        std::process::ExitCode::from(2)
    })
}
