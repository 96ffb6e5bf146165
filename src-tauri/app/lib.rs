//! The desktop shell: wires the Tauri-free crates to the window. Commands are thin adapters
//! (see `commands/`); their TypeScript bindings are generated from here into `ui/src/bindings.ts`.

mod bindings;
mod cloud;
mod commands;
mod error;
mod kafka;
mod sandbox;
mod state;
mod vault;

pub use bindings::specta_builder;
pub use error::{BridgeError, ErrorCode};

use std::sync::OnceLock;
use std::time::Instant;

use tauri::Manager;

/// When the process started, for the first-paint figure the benchmark reads from the log.
pub(crate) fn started() -> Instant {
    static START: OnceLock<Instant> = OnceLock::new();
    *START.get_or_init(Instant::now)
}

/// Brings the main window to the front: shown, restored if minimised, focused.
fn focus_main_window(app: &tauri::AppHandle) {
    let Some(window) = app.get_webview_window("main") else {
        return;
    };
    let shown = window
        .show()
        .and_then(|()| window.unminimize())
        .and_then(|()| window.set_focus());
    if let Err(e) = shown {
        log::warn!("could not bring the window to the front: {e}");
    }
}

pub fn run() {
    started();
    env_logger::Builder::from_env(env_logger::Env::default().default_filter_or("info")).init();
    let builder = specta_builder();
    tauri::Builder::default()
        // First of all plugins: a second launch hands over to the running app (which shows and
        // focuses its window) and exits with 0 before anything of its own starts. The sandbox's
        // folder lock (gureum_sandbox::folder_lock) still refuses a second sandbox from any
        // program, `gureum-sandbox serve` included.
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            log::info!("a second launch of Gureum: showing this window instead");
            focus_main_window(app);
        }))
        .invoke_handler(builder.invoke_handler())
        .setup(move |app| {
            builder.mount_events(app);
            let config_dir = app.path().app_config_dir()?;
            log::info!("config dir: {}", config_dir.display());
            let state = state::AppState::new(config_dir);
            let slot = std::sync::Arc::new(sandbox::SandboxSlot::default());
            app.manage(cloud::Clients::new(state.connections.clone(), slot.clone()));
            app.manage(state);
            app.manage(slot);
            app.manage(commands::iam::KeyWaits::default());
            app.manage(kafka::DataPlane::default());
            app.manage(commands::clipboard::SystemClipboard::default());
            sandbox::start(app.handle().clone());
            Ok(())
        })
        .build(tauri::generate_context!())
        .expect("Gureum could not start its window")
        .run(|app, event| {
            if let tauri::RunEvent::Exit = event {
                kafka::close(app);
                sandbox::stop(app);
            }
        });
}
