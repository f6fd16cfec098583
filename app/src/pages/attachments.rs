//! Picking attachments: each file is checked (type, size), hashed and kept
//! on the device at once, so it is captured even with no signal; the sync
//! engine uploads it later.

use leptos::prelude::*;
use leptos::task::spawn_local;
use sha2::{Digest, Sha256};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use domain::case::AttachmentRef;

use crate::error::AppError;
use crate::i18n::tr;
use crate::storage;

async fn capture(file: web_sys::File) -> Result<AttachmentRef, AppError> {
    let reference =
        AttachmentRef { sha256: String::new(), name: file.name(), mime: file.type_(), bytes: file.size() as u64 };
    // Check size and type before reading a possibly huge file.
    let checked = AttachmentRef { sha256: "0".repeat(64), ..reference }.validate()?;
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| AppError::Storage(tr("读取文件失败", "could not read the file").into()))?;
    let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
    let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
    storage::save_blob(&storage::open_current().await?, &sha256, &checked.mime, bytes).await?;
    Ok(AttachmentRef { sha256, ..checked })
}

/// A file picker adding to `list`; problems go to `errors`.
#[component]
pub fn AttachmentField(list: RwSignal<Vec<AttachmentRef>>, errors: RwSignal<Vec<String>>) -> impl IntoView {
    let on_change = move |ev: leptos::ev::Event| {
        let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else { return };
        let Some(files) = input.files() else { return };
        let picked: Vec<web_sys::File> = (0..files.length()).filter_map(|i| files.get(i)).collect();
        input.set_value("");
        spawn_local(async move {
            let mut problems = Vec::new();
            for file in picked {
                match capture(file).await {
                    Ok(reference) => list.update(|l| l.push(reference)),
                    Err(e) => problems.push(e.message()),
                }
            }
            errors.set(problems);
        });
    };
    view! {
        <label class="field">
            <span>{tr("照片或文件(JPG、PNG、WebP、PDF,每个不超过10MB)", "Photos or files (JPG, PNG, WebP, PDF, up to 10 MB each)")}</span>
            <input type="file" name="attachments" multiple accept="image/jpeg,image/png,image/webp,application/pdf" on:change=on_change />
        </label>
        <ul class="attachments" data-testid="attachments">
            {move || {
                list.get()
                    .into_iter()
                    .map(|a| view! { <li>{a.name} " · " {format!("{} KB", a.bytes.div_ceil(1024))}</li> })
                    .collect_view()
            }}
        </ul>
    }
}
