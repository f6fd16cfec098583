//! The app's one source of "now" and of the policy deadlines are computed
//! by (working-day calendar and rules).
//! Everything time-dependent asks here, never the domain; e2e tests move
//! the browser's clock (Playwright's `page.clock`) and the app follows.

use std::sync::Arc;

use domain::policy::Policy;
use domain::time::Day;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::i18n::pick;

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Today in China.
pub fn today() -> Day {
    Day::of_instant(now_ms())
}

/// The policy in force on this device (see [`crate::policy`]); read in a
/// view, the view follows it when a newer one arrives.
pub fn policy() -> Arc<Policy> {
    expect_context::<crate::policy::PolicySignal>().get()
}

/// A warning when this device's clock is off from the server's by more
/// than the tolerance: its offline work would then count from when the
/// server received it. Checked once the app starts online.
#[component]
pub fn ClockWarning() -> impl IntoView {
    let off_by: RwSignal<Option<i64>> = RwSignal::new(None);
    spawn_local(async move {
        if let Ok((offset, tolerance)) = crate::api::clock_offset().await
            && offset.abs() > tolerance
        {
            off_by.set(Some(offset));
        }
    });
    move || {
        off_by.get().map(|offset| {
            let (zh, en) = duration(offset.abs());
            let (ahead_zh, ahead_en) = if offset > 0 { ("快", "ahead of") } else { ("慢", "behind") };
            view! {
                <p class="clock-warning" role="alert" data-testid="clock-warning">
                    {pick(
                        format!("本设备时钟比服务器{ahead_zh}约{zh}。请校正设备时间:在此之前的操作将按服务器收到的时间计算期限。"),
                        format!("This device's clock is about {en} {ahead_en} the server's. Please correct it: until then, deadlines count from when the server receives your work."),
                    )}
                </p>
            }
        })
    }
}

/// `ms` in the largest whole unit, in both languages.
fn duration(ms: i64) -> (String, String) {
    let minutes = ms / 60_000;
    let (hours, days) = (minutes / 60, minutes / (60 * 24));
    if days >= 1 {
        (format!(" {days} 天"), format!("{days} day(s)"))
    } else if hours >= 1 {
        (format!(" {hours} 小时"), format!("{hours} hour(s)"))
    } else {
        (format!(" {minutes} 分钟"), format!("{minutes} minute(s)"))
    }
}

/// On an official's home page: the working-day calendar is confirmed only
/// until a day less than [`domain::calendar::ENDING_SOON_DAYS`] away, so
/// deadlines after it count by the statutory holidays alone until an admin
/// imports the official arrangement.
#[component]
pub fn CalendarEnding() -> impl IntoView {
    policy().calendar.confirmed_ends_soon(today()).map(|last| {
        let next = last.year() + 1;
        view! {
            <p class="clock-warning" role="status" data-testid="calendar-ending">
                {pick(
                    format!("工作日历的官方放假安排只到 {last}。请管理员导入 {next} 年的安排;在此之前,{next} 年的期限按法定节假日暂算,标为“暂定”。"),
                    format!("The official holiday arrangement in the working-day calendar ends on {last}. An admin should import {next}'s; until then, deadlines in {next} count by the statutory holidays alone and are marked “provisional”."),
                )}
            </p>
        }
    })
}
