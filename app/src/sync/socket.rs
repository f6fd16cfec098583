//! The WebSocket to the server, as events on the sync engine's inbox. Each
//! socket has a generation number, so events of a socket already replaced
//! are recognised and ignored.

use futures_channel::mpsc::UnboundedSender;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{BinaryType, MessageEvent, WebSocket};

use super::Input;

pub struct Socket {
    ws: WebSocket,
    pub generation: u64,
    // Kept alive as long as the socket; dropped with it.
    _on_open: Closure<dyn FnMut()>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_close: Closure<dyn FnMut()>,
}

impl Socket {
    /// Opens `/api/sync` on the page's own origin (the session cookie goes
    /// with the handshake).
    pub fn open(generation: u64, inbox: &UnboundedSender<Input>) -> Option<Socket> {
        let location = web_sys::window()?.location();
        let scheme = if location.protocol().ok()? == "https:" { "wss" } else { "ws" };
        let ws = WebSocket::new(&format!("{scheme}://{}/api/sync", location.host().ok()?)).ok()?;
        ws.set_binary_type(BinaryType::Arraybuffer);
        let post = |input: Input, inbox: &UnboundedSender<Input>| {
            // A closed inbox means the app is going away.
            let _ = inbox.unbounded_send(input);
        };
        let tx = inbox.clone();
        let on_open = Closure::<dyn FnMut()>::new(move || post(Input::Opened(generation), &tx));
        let tx = inbox.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Ok(buffer) = event.data().dyn_into::<js_sys::ArrayBuffer>() {
                post(Input::Received(generation, js_sys::Uint8Array::new(&buffer).to_vec()), &tx);
            }
        });
        let tx = inbox.clone();
        let on_close = Closure::<dyn FnMut()>::new(move || post(Input::Closed(generation), &tx));
        ws.set_onopen(Some(on_open.as_ref().unchecked_ref()));
        ws.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        ws.set_onclose(Some(on_close.as_ref().unchecked_ref()));
        Some(Socket { ws, generation, _on_open: on_open, _on_message: on_message, _on_close: on_close })
    }

    pub fn send(&self, bytes: &[u8]) -> bool {
        self.ws.send_with_u8_array(bytes).is_ok()
    }
}

impl Drop for Socket {
    fn drop(&mut self) {
        self.ws.set_onopen(None);
        self.ws.set_onmessage(None);
        self.ws.set_onclose(None);
        let _ = self.ws.close();
    }
}

/// Posts `input` after `ms` milliseconds.
pub fn after(ms: u32, inbox: &UnboundedSender<Input>, input: Input) {
    let tx = inbox.clone();
    let callback = Closure::once_into_js(move || {
        let _ = tx.unbounded_send(input);
    });
    if let Some(window) = web_sys::window() {
        let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(
            callback.unchecked_ref(),
            ms.try_into().unwrap_or(0),
        );
    }
}

/// Posts `Connect` when the browser regains the network, `NetworkDown`
/// when it loses it.
pub fn watch_network(inbox: &UnboundedSender<Input>) {
    let Some(window) = web_sys::window() else { return };
    for (event, make) in
        [("online", (|| Input::Connect) as fn() -> Input), ("offline", (|| Input::NetworkDown) as fn() -> Input)]
    {
        let tx = inbox.clone();
        let listener = Closure::<dyn FnMut()>::new(move || {
            let _ = tx.unbounded_send(make());
        });
        let _ = window.add_event_listener_with_callback(event, listener.as_ref().unchecked_ref());
        // Listens for the app's lifetime.
        listener.forget();
    }
}

pub fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}
