//! Each person's [`Settings`]: how they want to be reached.

use domain::reach::Settings;

use super::Store;
use crate::ServerError;

/// Someone to mail: the account, its address and its choices.
#[derive(Debug, Clone)]
pub struct Recipient {
    pub user_id: String,
    pub email: String,
    pub settings: Settings,
}

impl Store {
    /// The user's settings; the defaults if they chose none.
    pub async fn settings(&self, user_id: &str) -> Result<Settings, ServerError> {
        let json: Option<String> = sqlx::query_scalar("SELECT settings FROM user_settings WHERE user_id = $1")
            .bind(user_id)
            .fetch_optional(&self.db.pool)
            .await?;
        Ok(match json {
            Some(json) => serde_json::from_str(&json)?,
            None => Settings::default(),
        })
    }

    /// Keeps `settings` (already validated) as the user's.
    pub async fn save_settings(&self, user_id: &str, settings: &Settings) -> Result<(), ServerError> {
        let json = serde_json::to_string(settings)?;
        let mut tx = self.db.write().await?;
        sqlx::query(
            "INSERT INTO user_settings (user_id, email, settings) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO UPDATE SET email = excluded.email, settings = excluded.settings",
        )
        .bind(user_id)
        .bind(settings.email.as_deref())
        .bind(json)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The serving accounts with an e-mail address among `role` (a role
    /// name) and, if given, of organisation `org`.
    pub async fn recipients(&self, role: &str, org: Option<&str>) -> Result<Vec<Recipient>, ServerError> {
        let query = match org {
            Some(_) => {
                "SELECT u.id, s.email, s.settings FROM users u JOIN user_settings s ON s.user_id = u.id \
                 WHERE u.role = $1 AND u.org = $2 AND u.deactivated_ms IS NULL AND s.email IS NOT NULL ORDER BY u.id"
            }
            None => {
                "SELECT u.id, s.email, s.settings FROM users u JOIN user_settings s ON s.user_id = u.id \
                 WHERE u.role = $1 AND u.deactivated_ms IS NULL AND s.email IS NOT NULL ORDER BY u.id"
            }
        };
        let mut query = sqlx::query_as::<_, (String, String, String)>(query).bind(role);
        if let Some(org) = org {
            query = query.bind(org);
        }
        query
            .fetch_all(&self.db.pool)
            .await?
            .into_iter()
            .map(|(user_id, email, json)| Ok(Recipient { user_id, email, settings: serde_json::from_str(&json)? }))
            .collect()
    }
}
