//! The quarterly common-issue report: appeals that describe the same kind
//! of problem, grouped so they can be handled in one batch (批量办理).
//!
//! Texts arrive here already cut into words (the server segments Chinese
//! with jieba); each becomes a TF-IDF vector, and appeals whose vectors are
//! at least [`ALIKE`] alike by cosine are joined into one group (a group is
//! the connected set of such pairs). A group's keywords are the words most
//! of its appeals share.

use std::collections::{BTreeMap, BTreeSet};

/// Cosine similarity from which two appeals count as the same issue.
pub const ALIKE: f64 = 0.45;

/// Words that say nothing about the issue itself.
pub const STOP_WORDS: [&str; 24] = [
    "问题", "企业", "公司", "我们", "我司", "希望", "需要", "没有", "相关", "进行", "目前", "由于", "一直", "导致",
    "影响", "情况", "工作", "部门", "政府", "协调", "解决", "请求", "反映", "尽快",
];

/// A group of alike appeals: indexes into the input, and its keywords.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub members: Vec<usize>,
    pub keywords: Vec<String>,
}

/// Keeps the words worth comparing: two characters or more, not only
/// digits or punctuation, not a stop word.
pub fn useful(word: &str) -> bool {
    word.chars().count() >= 2
        && word.chars().any(char::is_alphabetic)
        && word.chars().all(char::is_alphanumeric)
        && !STOP_WORDS.contains(&word)
}

type Vector = BTreeMap<String, f64>;

fn vectors(texts: &[Vec<String>]) -> Vec<Vector> {
    let mut documents_with: BTreeMap<&str, f64> = BTreeMap::new();
    for words in texts {
        for word in words.iter().map(String::as_str).collect::<BTreeSet<_>>() {
            *documents_with.entry(word).or_default() += 1.0;
        }
    }
    let n = texts.len() as f64;
    texts
        .iter()
        .map(|words| {
            let mut v = Vector::new();
            for w in words {
                *v.entry(w.clone()).or_default() += 1.0;
            }
            for (w, weight) in v.iter_mut() {
                // Smoothed IDF: a word in every appeal still counts a little.
                *weight *= (1.0 + n / documents_with.get(w.as_str()).copied().unwrap_or(1.0)).ln();
            }
            let norm = v.values().map(|x| x * x).sum::<f64>().sqrt();
            if norm > 0.0 {
                v.values_mut().for_each(|x| *x /= norm);
            }
            v
        })
        .collect()
}

fn cosine(a: &Vector, b: &Vector) -> f64 {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    small.iter().filter_map(|(w, x)| large.get(w).map(|y| x * y)).sum()
}

fn root(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// Groups of two or more alike texts, the largest first.
pub fn group_alike(texts: &[Vec<String>]) -> Vec<Group> {
    let vectors = vectors(texts);
    let mut parent: Vec<usize> = (0..texts.len()).collect();
    for i in 0..vectors.len() {
        for j in i + 1..vectors.len() {
            if cosine(&vectors[i], &vectors[j]) >= ALIKE {
                let (a, b) = (root(&mut parent, i), root(&mut parent, j));
                parent[a.max(b)] = a.min(b);
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..texts.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out: Vec<Group> = groups
        .into_values()
        .filter(|members| members.len() >= 2)
        .map(|members| {
            let keywords = keywords(&members, texts, &vectors);
            Group { members, keywords }
        })
        .collect();
    out.sort_by(|a, b| b.members.len().cmp(&a.members.len()).then(a.members.cmp(&b.members)));
    out
}

/// The words at least half the members use, by their summed weight; five.
fn keywords(members: &[usize], texts: &[Vec<String>], vectors: &[Vector]) -> Vec<String> {
    let mut score: BTreeMap<&str, (usize, f64)> = BTreeMap::new();
    for &m in members {
        for word in texts[m].iter().map(String::as_str).collect::<BTreeSet<_>>() {
            let entry = score.entry(word).or_default();
            entry.0 += 1;
            entry.1 += vectors[m].get(word).copied().unwrap_or(0.0);
        }
    }
    let mut shared: Vec<(&str, f64)> =
        score.into_iter().filter(|(_, (n, _))| n * 2 >= members.len()).map(|(w, (_, s))| (w, s)).collect();
    shared.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(b.0)));
    shared.into_iter().take(5).map(|(w, _)| w.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        text.split(' ').filter(|w| useful(w)).map(str::to_string).collect()
    }

    #[test]
    fn alike_appeals_group_and_share_keywords() {
        let texts = [
            "厂区 门口 隔离带 货车 进出 困难",
            "隔离带 阻挡 货车 进出 厂区",
            "员工 子女 入学 学位 不足",
            "子女 入学 学位 紧张 员工",
            "用地 指标 报批 缓慢",
        ]
        .map(words);
        let groups = group_alike(&texts);
        assert_eq!(groups.len(), 2, "{groups:?}");
        assert_eq!(groups[0].members, [0, 1]);
        assert_eq!(groups[1].members, [2, 3]);
        assert!(groups[0].keywords.contains(&"隔离带".to_string()), "{:?}", groups[0].keywords);
        assert!(groups[1].keywords.contains(&"入学".to_string()));
    }

    #[test]
    fn stop_words_and_single_characters_do_not_count() {
        assert!(!useful("问题") && !useful("的") && !useful("2026") && !useful("，"));
        assert!(useful("隔离带") && useful("5G基站"));
    }
}
