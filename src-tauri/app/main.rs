// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() -> std::process::ExitCode {
    // `gureum sandbox-broker …`: one of the sandbox's brokers, started by the app itself. Checked
    // before anything else, so a broker process never starts GTK, a webview or Tauri.
    if let Some(code) = gureum_broker::run_if_broker_mode() {
        return code;
    }
    gureum_app::run();
    std::process::ExitCode::SUCCESS
}
