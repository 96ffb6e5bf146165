// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

// The sandbox's brokers are another program of this package, `gureum-broker`
// (src-tauri/app/broker_main.rs): this binary only ever runs the app.
fn main() {
    gureum_app::run();
}
