//! The sync message decoder takes any bytes; what decodes re-encodes to
//! bytes that decode to the same message.
#![no_main]

use domain::sync::wire::Message;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok(message) = Message::decode(bytes) {
        let again = Message::decode(&message.encode());
        assert_eq!(again.ok(), Some(message));
    }
});
