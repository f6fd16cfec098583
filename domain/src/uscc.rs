//! 统一社会信用代码 (unified social credit code, GB 32100-2015).
//!
//! 18 characters: registration authority (1), organisation type (1),
//! administrative division (6 digits), organisation code (9), check (1).
//! The check character is 31 − (Σ value·weight mod 31), weights 3^i mod 31.

use crate::DomainError;

const ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
/// Registration authorities named by the standard (1 机构编制 … 9 市场监管, A, N, Y 其他).
const AUTHORITIES: &str = "123456789ANY";

fn value_of(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// The check character for the first 17 characters, or `None` if one of them
/// is outside the code's alphabet.
pub fn check_character(first17: &str) -> Option<char> {
    let mut sum = 0;
    for (c, w) in first17.chars().zip(WEIGHTS) {
        sum += value_of(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    ALPHABET.chars().nth(check as usize)
}

/// Validates a code as typed by a person: surrounding spaces are ignored and
/// lower-case letters accepted. Returns the normalised code.
pub fn validate(input: &str) -> Result<String, DomainError> {
    let code: String = input.trim().to_uppercase();
    let chars: Vec<char> = code.chars().collect();
    if chars.len() != 18 {
        return Err(DomainError::UsccLength(chars.len()));
    }
    for (i, &c) in chars.iter().enumerate() {
        let ok = if (2..8).contains(&i) { c.is_ascii_digit() } else { value_of(c).is_some() };
        if !ok {
            return Err(DomainError::UsccCharacter { position: i + 1, found: c });
        }
    }
    if !AUTHORITIES.contains(chars[0]) {
        return Err(DomainError::UsccAuthority(chars[0]));
    }
    let expected = check_character(&code[..17]).ok_or(DomainError::UsccLength(chars.len()))?;
    if chars[17] != expected {
        return Err(DomainError::UsccCheck { expected, found: chars[17] });
    }
    Ok(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_published_codes() {
        // Codes printed on public business licences.
        for code in ["91350100M000100Y43", "91110000802100433B", "914403001922038216"] {
            assert_eq!(validate(code), Ok(code.to_string()), "{code}");
        }
    }

    #[test]
    fn normalises_case_and_spaces() {
        assert_eq!(validate(" 91350100m000100y43 "), Ok("91350100M000100Y43".into()));
    }

    #[test]
    fn rejects_wrong_check_character() {
        assert_eq!(validate("91350100M000100Y44"), Err(DomainError::UsccCheck { expected: '3', found: '4' }));
    }

    #[test]
    fn rejects_letters_outside_the_alphabet() {
        // I, O, S, V, Z are not used, to avoid confusion with digits.
        assert_eq!(validate("91350100M0001O0Y43"), Err(DomainError::UsccCharacter { position: 14, found: 'O' }));
    }

    #[test]
    fn rejects_bad_length_and_authority() {
        assert_eq!(validate("9135"), Err(DomainError::UsccLength(4)));
        assert!(matches!(validate("B1350100M000100Y43"), Err(DomainError::UsccAuthority('B'))));
    }

    #[test]
    fn division_code_must_be_digits() {
        assert!(matches!(validate("9135A100M000100Y43"), Err(DomainError::UsccCharacter { position: 5, .. })));
    }

    #[test]
    fn check_character_makes_a_valid_code() {
        let body = "91441300MA4W12345";
        let code = format!("{body}{}", check_character(body).unwrap_or('?'));
        assert!(validate(&code).is_ok());
    }
}
