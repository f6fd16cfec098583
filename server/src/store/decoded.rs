//! Decoded case documents kept in memory beside the database, keyed by the
//! heads they were decoded at: the pages that read every case (board,
//! statistics, ratings, open data, letters, the common-issue report) decode
//! only the cases that changed since they were last read. One decoded case
//! is a few kilobytes, so ten thousand cases stay well under 100 MB.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::case::CaseDoc;

use super::Store;
use crate::ServerError;

/// Case id → (heads text, the case).
#[derive(Default)]
pub struct Decoded(Mutex<HashMap<String, (String, Arc<CaseDoc>)>>);

impl Decoded {
    fn get(&self, id: &str, heads: &str) -> Result<Option<Arc<CaseDoc>>, ServerError> {
        let map = self.0.lock().map_err(|_| ServerError::Poisoned)?;
        Ok(map.get(id).filter(|(h, _)| h == heads).map(|(_, case)| case.clone()))
    }

    fn put(&self, id: String, heads: String, case: Arc<CaseDoc>) -> Result<(), ServerError> {
        self.0.lock().map_err(|_| ServerError::Poisoned)?.insert(id, (heads, case));
        Ok(())
    }
}

impl Store {
    /// Every case of `district` (the city: all of them), decoded, by id.
    pub async fn cases_of_district(&self, district: &str) -> Result<Vec<Arc<CaseDoc>>, ServerError> {
        let rows = self.case_heads_of_district(district).await?;
        let mut cases = Vec::with_capacity(rows.len());
        for (id, heads) in rows {
            if let Some(case) = self.decoded.get(&id, &heads)? {
                cases.push(case);
                continue;
            }
            // A change landing between the two reads leaves a newer case
            // under older heads: it is decoded again next time, no harm.
            let Some((doc, _)) = self.load_document(&id).await? else { continue };
            let case = Arc::new(domain::doc::read(&doc)?);
            self.decoded.put(id, heads, case.clone())?;
            cases.push(case);
        }
        Ok(cases)
    }
}
