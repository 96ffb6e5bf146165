//! Copying a client snippet with its real secret, without the secret crossing the bridge: the
//! window only ever sees masked snippets (`send::client_snippets`); this command builds the
//! unmasked one here, in Rust, and writes it to the OS clipboard. The window learns only that it
//! was copied.
//!
//! `arboard` directly rather than `tauri-plugin-clipboard-manager`: the plugin is a wrapper around
//! the same `arboard` (with its image support, which pulls in the `image` crate) plus a JavaScript
//! API and permissions the window must never be granted here. One Rust call is all this needs.

use std::sync::Mutex;

use gureum_kafka::settings::ClientSettings;
use gureum_kafka::snippets;
use tauri::{AppHandle, Manager};

use crate::commands::blocking;
use crate::error::{BridgeError, ErrorCode};
use crate::kafka::{settings, Target};

/// Where copied text goes. The OS clipboard in the app; a recording one in tests.
pub trait Clipboard {
    fn set_text(&mut self, text: String) -> Result<(), String>;
}

/// The OS clipboard, opened on the first copy and kept for the app's life: on X11 the program
/// that copied must answer other programs' requests for the text, which `arboard` does from a
/// thread that lives as long as a `Clipboard` does (and hands the text to a clipboard manager,
/// when there is one, once the last is dropped).
#[derive(Default)]
pub struct SystemClipboard(Mutex<Option<arboard::Clipboard>>);

impl Clipboard for &SystemClipboard {
    fn set_text(&mut self, text: String) -> Result<(), String> {
        let mut slot = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if slot.is_none() {
            *slot = Some(arboard::Clipboard::new().map_err(|e| e.to_string())?);
        }
        let clipboard = slot.as_mut().expect("opened above");
        clipboard.set_text(text).map_err(|e| {
            // A clipboard that failed once (the display went away) is opened again next time.
            *slot = None;
            e.to_string()
        })
    }
}

/// Builds snippet `id` for `topic` with the real secret and writes it to `clipboard`. Returns
/// nothing the window could show: the secret stays on this side of the bridge.
pub fn copy_snippet(
    clipboard: &mut impl Clipboard,
    settings: &ClientSettings,
    topic: &str,
    id: &str,
) -> Result<(), BridgeError> {
    let code = snippets::all(settings, topic, true)
        .into_iter()
        .find(|s| s.id == id)
        .map(|s| s.code)
        .ok_or_else(|| {
            BridgeError::new(ErrorCode::NotFound, format!("There is no “{id}” snippet."))
        })?;
    clipboard.set_text(code).map_err(|e| {
        BridgeError::new(
            ErrorCode::Internal,
            "The snippet could not be copied: the system clipboard did not answer.",
        )
        .with_detail(e)
    })
}

/// Copies client snippet `id` (properties, java, python, rust, kcat) for `target` and `topic` to
/// the OS clipboard with its real secret. The window never receives the secret.
#[tauri::command]
#[specta::specta]
pub async fn copy_client_snippet(
    app: AppHandle,
    target: Target,
    topic: String,
    id: String,
) -> Result<(), BridgeError> {
    let settings = settings(&app, &target).await?;
    blocking(move || {
        let mut clipboard = app.state::<SystemClipboard>().inner();
        copy_snippet(&mut clipboard, &settings, &topic, &id)
    })
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use gureum_secrets::Secret;

    #[derive(Default)]
    struct Recorded(Vec<String>, Option<String>);
    impl Clipboard for Recorded {
        fn set_text(&mut self, text: String) -> Result<(), String> {
            match &self.1 {
                Some(e) => Err(e.clone()),
                None => {
                    self.0.push(text);
                    Ok(())
                }
            }
        }
    }

    fn cluster() -> ClientSettings {
        ClientSettings::confluent(
            "SASL_SSL://127.0.0.1:9092",
            "ABCDEFGHIJKLMNOP",
            Secret::new("the-real-secret-value"),
            None,
        )
    }

    #[test]
    fn the_clipboard_gets_the_chosen_snippet_with_its_real_secret() {
        let mut clip = Recorded::default();
        for id in ["properties", "java", "python", "rust", "kcat"] {
            copy_snippet(&mut clip, &cluster(), "orders", id).unwrap();
            let copied = clip.0.last().unwrap();
            assert!(copied.contains("the-real-secret-value"), "{id}: {copied}");
            if id != "properties" {
                assert!(copied.contains("orders"), "{id}: for the topic asked");
            }
            assert!(!copied.contains("********"), "{id}: unmasked");
        }
        // The same text the window shows, only with the secret in place of the mask.
        let masked = snippets::all(&cluster(), "orders", false);
        let python = masked.iter().find(|s| s.id == "python").unwrap();
        assert_eq!(
            clip.0[2],
            python.code.replace("********", "the-real-secret-value")
        );
    }

    #[test]
    fn an_unknown_snippet_copies_nothing() {
        let mut clip = Recorded::default();
        let e = copy_snippet(&mut clip, &cluster(), "orders", "cobol").unwrap_err();
        assert_eq!(e.code, ErrorCode::NotFound);
        assert!(clip.0.is_empty());
    }

    #[test]
    fn a_clipboard_that_fails_is_reported_without_the_secret() {
        let mut clip = Recorded(vec![], Some("X11 server connection timed out".into()));
        let e = copy_snippet(&mut clip, &cluster(), "orders", "kcat").unwrap_err();
        assert_eq!(e.code, ErrorCode::Internal);
        let shown = serde_json::to_string(&e).unwrap();
        assert!(shown.contains("X11 server connection timed out"));
        assert!(!shown.contains("the-real-secret-value"));
    }
}
