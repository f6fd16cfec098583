//! Which attachments a device keeps for offline use. A user's own files
//! are always kept (they may be all there is of them until uploaded, and
//! they are what the user will be asked about). Other people's files are
//! kept newest first, for as long as they fit in a limit the user sets:
//! the newest files are the ones a session or a reply is about.

use serde::{Deserialize, Serialize};

use crate::case::CaseDoc;
use crate::event::EventKind;

/// What a device keeps of other people's files unless its user says else.
pub const DEFAULT_LIMIT_BYTES: u64 = 200 * 1024 * 1024;

/// A file a case names, as the device learns of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFile {
    pub sha256: String,
    /// When it was attached: the case's filing, or the event's time.
    pub at_ms: i64,
    /// Who attached it; `None` for a draft's, which only its author has.
    pub by: Option<String>,
    /// Known for the appeal's files, learnt on download for the others.
    pub bytes: Option<u64>,
}

impl CaseDoc {
    /// Every file the case names, where it came from and when.
    pub fn files(&self) -> Vec<CaseFile> {
        let filer = self.events.values().find(|e| matches!(e.kind, EventKind::Submit)).map(|e| e.author.clone());
        let mut files: Vec<CaseFile> = (self.appeal.attachments.iter())
            .map(|a| CaseFile {
                sha256: a.sha256.clone(),
                at_ms: self.created_ms,
                by: filer.clone(),
                bytes: Some(a.bytes),
            })
            .collect();
        for event in self.events.values() {
            let named = match &event.kind {
                EventKind::AddInfo { attachments, .. } => attachments,
                EventKind::Resolve { evidence, .. } => evidence,
                _ => continue,
            };
            files.extend(named.iter().map(|sha256| CaseFile {
                sha256: sha256.clone(),
                at_ms: event.at_ms,
                by: Some(event.author.clone()),
                bytes: None,
            }));
        }
        files
    }
}

/// A file as the device keeps track of it, over every case it names it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The latest time any case attached it.
    pub at_ms: i64,
    /// Attached by the device's user (in any case).
    pub own: bool,
    pub bytes: Option<u64>,
}

impl FileEntry {
    /// `file` as seen by `user`.
    pub fn of(file: &CaseFile, user: &str) -> FileEntry {
        FileEntry { at_ms: file.at_ms, own: file.by.as_deref().is_none_or(|by| by == user), bytes: file.bytes }
    }

    /// One entry for a file named twice (in two cases, or twice in one).
    pub fn merge(self, other: FileEntry) -> FileEntry {
        FileEntry { at_ms: self.at_ms.max(other.at_ms), own: self.own || other.own, bytes: self.bytes.or(other.bytes) }
    }
}

/// Walks the files in the order they are considered, admitting each that
/// the device should keep.
pub struct FileBudget {
    limit_bytes: u64,
    used_bytes: u64,
}

impl FileBudget {
    pub fn new(limit_bytes: u64) -> FileBudget {
        FileBudget { limit_bytes, used_bytes: 0 }
    }

    /// The order files are considered in: own first, then newest first
    /// (and by hash, so every pass agrees).
    pub fn order<K: Ord>(files: &mut [(K, FileEntry)]) {
        files.sort_by(|(ka, a), (kb, b)| b.own.cmp(&a.own).then(b.at_ms.cmp(&a.at_ms)).then(ka.cmp(kb)));
    }

    /// Whether to keep a file of `bytes` next; a file of someone else's
    /// that does not fit is passed over, and a smaller older one may
    /// still fit after it.
    pub fn admit(&mut self, entry: &FileEntry, bytes: u64) -> bool {
        if entry.own {
            return true;
        }
        let fits = self.used_bytes.saturating_add(bytes) <= self.limit_bytes;
        if fits {
            self.used_bytes += bytes;
        }
        fits
    }

    /// What other people's files kept so far take.
    pub fn used_bytes(&self) -> u64 {
        self.used_bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(at_ms: i64, own: bool, bytes: u64) -> FileEntry {
        FileEntry { at_ms, own, bytes: Some(bytes) }
    }

    /// The files a budget of `limit` keeps, in the order considered.
    fn kept(mut files: Vec<(&'static str, FileEntry)>, limit: u64) -> Vec<&'static str> {
        FileBudget::order(&mut files);
        let mut budget = FileBudget::new(limit);
        files.into_iter().filter(|(_, e)| budget.admit(e, e.bytes.unwrap_or(0))).map(|(k, _)| k).collect()
    }

    #[test]
    fn own_files_are_kept_whatever_the_limit() {
        let files = vec![("old-own", entry(1, true, 50)), ("new-other", entry(9, false, 10))];
        assert_eq!(kept(files.clone(), 0), ["old-own"]);
        assert_eq!(kept(files, 10), ["old-own", "new-other"]);
    }

    #[test]
    fn others_files_are_kept_newest_first_while_they_fit() {
        let files =
            vec![("oldest", entry(1, false, 30)), ("newest", entry(3, false, 40)), ("middle", entry(2, false, 40))];
        assert_eq!(kept(files.clone(), 100), ["newest", "middle"]);
        assert_eq!(kept(files.clone(), 110), ["newest", "middle", "oldest"]);
        assert_eq!(kept(files.clone(), 39), ["oldest"]);
        assert_eq!(kept(files, 0), Vec::<&str>::new());
    }

    #[test]
    fn a_file_too_big_is_passed_over_for_smaller_older_ones() {
        let files = vec![("big-new", entry(3, false, 90)), ("small-old", entry(1, false, 10))];
        assert_eq!(kept(files, 50), ["small-old"]);
    }

    #[test]
    fn a_file_named_twice_is_one_entry_owned_if_either_is() {
        let theirs = entry(5, false, 10);
        let mine = FileEntry { at_ms: 2, own: true, bytes: None };
        assert_eq!(theirs.merge(mine), entry(5, true, 10));
    }

    #[test]
    fn a_drafts_files_and_ones_own_events_are_own() {
        let file = |by: Option<&str>| CaseFile { sha256: "a".into(), at_ms: 1, by: by.map(Into::into), bytes: None };
        assert!(FileEntry::of(&file(None), "u1").own);
        assert!(FileEntry::of(&file(Some("u1")), "u1").own);
        assert!(!FileEntry::of(&file(Some("u2")), "u1").own);
    }
}
