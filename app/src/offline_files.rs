//! What of the account's attachments this device keeps for offline use,
//! and the user's limit for other people's files (see
//! `domain::file_budget`): shown, and changed, at the foot of every page.

use leptos::prelude::*;
use leptos::task::spawn_local;

use domain::file_budget::FileEntry;

use crate::error::AppError;
use crate::i18n::{pick, tr};
use crate::pwa::megabytes;
use crate::storage;
use crate::sync::use_sync;

/// The largest limit accepted, in MB: beyond what any browser grants a site.
const LIMIT_MAX_MB: u64 = 100_000;

/// The attachments on the device: own (always kept) and other people's.
#[derive(Clone, Copy, PartialEq, Default)]
struct Tally {
    own: usize,
    own_bytes: u64,
    others: usize,
    others_bytes: u64,
    limit_bytes: u64,
}

async fn tally() -> Result<Tally, AppError> {
    let db = storage::open_current().await?;
    let (files, here) = (storage::files(&db).await?, storage::blobs_here(&db).await?);
    let mut tally = Tally { limit_bytes: storage::file_limit(&db).await?, ..Tally::default() };
    for (sha256, FileEntry { own, bytes, .. }) in files {
        if !here.contains(&sha256) {
            continue;
        }
        let (count, sum) =
            if own { (&mut tally.own, &mut tally.own_bytes) } else { (&mut tally.others, &mut tally.others_bytes) };
        *count += 1;
        *sum += bytes.unwrap_or(0);
    }
    db.close();
    Ok(tally)
}

/// A limit typed in MB: a whole number from 0 (keep none of other
/// people's files) up.
fn parse_limit(typed: &str) -> Result<u64, &'static str> {
    match typed.trim().parse::<u64>() {
        Ok(mb) if mb <= LIMIT_MAX_MB => Ok(mb * 1024 * 1024),
        _ => Err(tr("请填写 0 到 100000 之间的整数(单位 MB)", "Enter a whole number from 0 to 100000 (MB)")),
    }
}

#[component]
pub fn OfflineFiles() -> impl IntoView {
    let Some(sync) = use_sync() else { return ().into_any() };
    let shown: RwSignal<Option<Tally>> = RwSignal::new(None);
    let message: RwSignal<Option<(bool, String)>> = RwSignal::new(None);
    Effect::new(move |_| {
        sync.files.track();
        sync.revision.track();
        spawn_local(async move { shown.set(tally().await.ok()) });
    });
    let input = NodeRef::<leptos::html::Input>::new();
    let sync_for_submit = sync.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = input.get().map(|i| i.value()).unwrap_or_default();
        let bytes = match parse_limit(&typed) {
            Ok(bytes) => bytes,
            Err(e) => return message.set(Some((false, e.to_string()))),
        };
        let sync = sync_for_submit.clone();
        spawn_local(async move {
            message.set(Some(match sync.set_file_limit(bytes).await {
                Ok(()) => (
                    true,
                    tr("已保存,正在按新上限调整本设备上的文件", "Saved: the files on this device follow the new limit")
                        .into(),
                ),
                Err(e) => (false, e.message()),
            }));
        });
    };
    // The form is drawn anew only when the limit changes, so a pass over
    // the files (which redraws the tally) never clears what is typed.
    let limit = Memo::new(move |_| shown.get().map(|t| t.limit_bytes));
    view! {
        <details class="offline-files" data-testid="offline-files">
            <summary>{tr("离线文件", "Files offline")}</summary>
            {move || shown.get().map(|t| view! {
                <p data-testid="files-tally" data-own=t.own data-others=t.others>
                    {pick(
                        format!("你上传的附件 {} 个({}),始终保存在本设备。其他人的附件 {} 个({}),按新旧保存到上限为止,较早的联网后仍可查看。",
                            t.own, megabytes(t.own_bytes as f64), t.others, megabytes(t.others_bytes as f64)),
                        format!("Your own attachments: {} ({}), always kept on this device. Other people's: {} ({}), newest first up to the limit; older ones open when online.",
                            t.own, megabytes(t.own_bytes as f64), t.others, megabytes(t.others_bytes as f64)),
                    )}
                </p>
            })}
            {move || limit.get().map(|limit_bytes| view! {
                <form on:submit=on_submit.clone() novalidate>
                    <label>
                        {tr("其他人的附件最多保存(MB)", "Keep other people's files up to (MB)")}
                        <input node_ref=input type="number" name="file-limit" min="0" max=LIMIT_MAX_MB step="1" inputmode="numeric"
                            value=(limit_bytes / (1024 * 1024)).to_string() />
                    </label>
                    <button type="submit" class="button">{tr("保存", "Save")}</button>
                </form>
            })}
            {move || message.get().map(|(ok, text)| if ok {
                view! { <p class="saved-local" role="status" data-testid="file-limit-saved">{text}</p> }.into_any()
            } else {
                view! { <p class="error" role="alert">{text}</p> }.into_any()
            })}
        </details>
    }
    .into_any()
}
