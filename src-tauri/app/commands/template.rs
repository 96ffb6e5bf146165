//! The Bulk form's template preview, rendered by the data plane's own template code (so the UI
//! keeps no second implementation of the template language).

use gureum_kafka::template::{self, Preview};

/// Each template (key, value, header values) as record `seq` would show it, or why not.
#[tauri::command]
#[specta::specta]
pub fn preview_templates(texts: Vec<String>, seq: u32) -> Vec<Preview> {
    template::preview(&texts, seq.into())
}

/// The placeholders the templates understand, for the form's help.
#[tauri::command]
#[specta::specta]
pub fn template_placeholders() -> Vec<String> {
    template::placeholders()
}
