//! Links from an official's home page to the server's analysis pages: the
//! statistics and league table, the supervision board and the quarterly
//! common-issue report. They are server pages, not app routes, so the
//! router must let the browser load them (`rel="external"`).

use domain::directory::CITY;
use leptos::prelude::*;

use domain::permission::{Role, User};
use domain::time::quarter_of;

use crate::clock;
use crate::i18n::tr;

#[component]
pub fn AnalysisLinks(user: User) -> impl IntoView {
    let officials = matches!(user.role, Role::Coordinator | Role::Leader | Role::Admin);
    let district = user.district.clone().unwrap_or_else(|| CITY.to_string());
    let today = clock::today();
    let month = format!("{:04}-{:02}", today.year(), today.month());
    let board = if district == CITY { "/board".to_string() } else { format!("/board/{district}/{month}") };
    officials.then(|| {
        view! {
            <nav class="analysis" data-testid="analysis-links">
                <a href=format!("/stats/{district}") rel="external">{tr("数据分析与部门排行", "Statistics and league table")}</a>
                <a href=board rel="external">{tr("挂图督办公示栏", "Supervision board")}</a>
                <a href=format!("/reports/common-issues/{}", quarter_of(today)) rel="external">
                    {tr("季度共性问题", "Common issues this quarter")}
                </a>
            </nav>
        }
    })
}
