use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::labels;
use crate::storage::{self, CaseSummary};
use crate::sync::use_sync;

/// The cases on this device, newest first.
#[component]
pub fn CaseList() -> impl IntoView {
    let cases: RwSignal<Option<Result<Vec<CaseSummary>, String>>> = RwSignal::new(None);
    let revision = use_sync().map(|s| s.revision);
    // Re-read whenever a case on the device changed.
    Effect::new(move |_| {
        if let Some(revision) = revision {
            revision.track();
        }
        spawn_local(async move {
            let loaded = match storage::open().await {
                Ok(db) => storage::summaries(&db).await,
                Err(e) => Err(e),
            };
            cases.set(Some(loaded.map_err(|e| e.zh())));
        });
    });
    view! {
        <section class="list-head">
            <h1>"诉求"</h1>
            <A href="/new" attr:class="button primary">"＋ 反映诉求"</A>
        </section>
        {move || match cases.get() {
            None => view! { <p class="empty">"正在读取本设备上的诉求…"</p> }.into_any(),
            Some(Err(message)) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            Some(Ok(list)) if list.is_empty() => {
                view! {
                    <p class="empty">"本设备上还没有诉求。点击“反映诉求”,企业困难直通政府部门。"</p>
                }
                    .into_any()
            }
            Some(Ok(list)) => {
                view! {
                    <ul class="cases" data-testid="case-list">
                        {list.into_iter().map(|c| view! { <CaseCard case=c /> }).collect_view()}
                    </ul>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn CaseCard(case: CaseSummary) -> impl IntoView {
    let number = case.number.clone().unwrap_or_else(|| "编号待分配".to_string());
    let href = format!("/case/{}", case.id);
    view! {
        <li class="case-card">
            <A href=href attr:class="case-link">
            <div class="case-top">
                <span class="case-number">{number}</span>
                <span class=format!("status status-{:?}", case.status)>{case.status.zh()}</span>
            </div>
            <h2 class="case-title">{case.title.clone()}</h2>
            <p class="case-meta">
                <span>{labels::category(&case.category)}</span>
                <span>{labels::district(&case.district)}</span>
                <span>{labels::date(case.created_ms)}</span>
            </p>
            {case.unsynced.then(|| view! { <p class="saved-local">"已保存在本设备 · 待联网同步"</p> })}
            </A>
        </li>
    }
}
