//! Words shown to people, in both languages the product speaks. Every
//! name, status and message that reaches a person is a [`Label`]: the
//! reader's half is picked where it is shown ([`Label::get`]); nothing
//! joins the halves into one string to split them again later.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A language the product speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The one of two texts that is in this language.
    pub fn pick<T>(self, zh: T, en: T) -> T {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }

    /// The language's tag, as `<html lang>` and `?lang=` write it.
    pub const fn tag(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// A tag's language: its primary subtag (`zh-Hans-CN` is Chinese).
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("zh") {
            Some(Lang::Zh)
        } else if primary.eq_ignore_ascii_case("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// One text in Chinese and English. Fixed words are `Label` (two
/// `'static` strings, `Copy`, usable in constant tables); messages that
/// carry a value are [`Text`], the same type owning its strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label<T = &'static str> {
    pub zh: T,
    pub en: T,
}

/// A label made from values (a count, a name, a date).
pub type Text = Label<String>;

impl Label {
    pub const fn new(zh: &'static str, en: &'static str) -> Label {
        Label { zh, en }
    }
}

impl Text {
    pub fn owned(zh: String, en: String) -> Text {
        Label { zh, en }
    }
}

impl<T: AsRef<str>> Label<T> {
    /// The half in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => self.zh.as_ref(),
            Lang::En => self.en.as_ref(),
        }
    }

    /// The same words, owned.
    pub fn text(&self) -> Text {
        Label { zh: self.zh.as_ref().to_string(), en: self.en.as_ref().to_string() }
    }
}

impl From<Label> for Text {
    fn from(label: Label) -> Text {
        label.text()
    }
}

/// Both halves on one line, for logs and for readers whose language is
/// not known (a JSON error read with curl).
impl<T: fmt::Display> fmt::Display for Label<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DomainError;

    #[test]
    fn each_language_gets_its_own_half_and_logs_get_both() {
        let status = crate::status::Status::Routed.label();
        assert_eq!((status.get(Lang::Zh), status.get(Lang::En)), ("已受理分办", "Accepted & routed"));
        let error = DomainError::TooLong { field: Label::new("诉求标题", "appeal title"), max: 80 };
        let words = error.label();
        assert_eq!(words.zh, "诉求标题过长(最多80字)");
        assert_eq!(words.en, "appeal title is too long (at most 80 characters)");
        assert_eq!(error.to_string(), format!("{} / {}", words.zh, words.en));
        let refusal = crate::sync::Rejection::Invalid(error).label();
        assert_eq!(refusal, words, "a refused change carries the validation message whole, not a split of it");
    }
}
