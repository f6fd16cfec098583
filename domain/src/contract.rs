//! The HTTP contract between the app and the server: the bodies both sides
//! read and write, defined once so they cannot drift apart.

use serde::{Deserialize, Serialize};

use crate::account::Profile;
use crate::permission::{Role, User};
use crate::time::Day;

/// The server's peer id in the automerge-repo protocol.
pub const SERVER_PEER: &str = "directline-server";

/// A signed-in user as `/api/session` and `/api/register` answer (never
/// with the password hash); the app keeps it on the device.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub login: String,
    pub display_name: String,
    pub user: User,
    /// An enterprise's registered profile, filled into its appeals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
}

/// One monthly progress letter of a case (`/api/cases/{id}/letters`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Letter {
    /// `YYYY-MM`.
    pub month: String,
    pub issued: Day,
    /// Where the letter is read.
    pub path: String,
}

/// Where a case's public progress page is (`/api/cases/{id}/public-link`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicLink {
    pub path: String,
    /// The query code (查询码): with the case number, it finds the page at
    /// `/lookup` without the link.
    pub code: String,
}

/// The server's time (`/api/clock`), so a device can tell the user its
/// own clock is wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerClock {
    pub now_ms: i64,
    /// How far a device's clock may be off before its times stop counting.
    pub tolerance_ms: i64,
    /// The version of the policy in force: a device holding another one
    /// fetches it (`GET /api/policy`).
    #[serde(default)]
    pub policy_version: u64,
}

/// Every refusal's body: the message in each language (`zh`, `en`) for
/// the app to pick from, and both on one line (`error`) for other readers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub zh: String,
    pub en: String,
}

impl ErrorBody {
    pub fn of<T: AsRef<str> + std::fmt::Display>(message: &crate::Label<T>) -> ErrorBody {
        ErrorBody { error: message.to_string(), zh: message.zh.to_string(), en: message.en.to_string() }
    }
}

/// An account as an admin sees it (`GET /api/admin/users`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountState {
    #[serde(flatten)]
    pub account: Account,
    pub deactivated: bool,
}

/// What an admin prepares for an official (`POST /api/admin/invitations`):
/// an officer's department, a coordinator's or leader's district.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Invite {
    pub role: Role,
    pub org: Option<String>,
    pub district: Option<String>,
    pub display_name: String,
    /// Where to mail the link (when the server sends mail).
    #[serde(default)]
    pub email: Option<String>,
}

/// A one-time link: its path (`/invite/<token>`) and when it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OneTimeLink {
    pub path: String,
    pub expires_ms: i64,
    /// The address the link was mailed to, if it was.
    #[serde(default)]
    pub mailed_to: Option<String>,
}

/// What a one-time link is for (`GET /api/invitations/{token}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkInfo {
    /// A new password for an existing account, not a new account.
    pub reset: bool,
    pub display_name: String,
    pub role: Role,
    pub org: Option<String>,
    pub district: Option<String>,
}

/// The invitee's answer (`POST /api/invitations/{token}`): a login (for an
/// invitation; a reset keeps the account's) and a password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Acceptance {
    pub login: Option<String>,
    pub password: String,
}

/// `GET /api/settings`: the user's choices, and what the server can do
/// with them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SettingsView {
    pub settings: crate::reach::Settings,
    /// Whether the server sends mail (an SMTP server is configured).
    pub mail: bool,
}
