//! JSON-RPC framing over a byte stream (`Content-Length: N\r\n\r\n{json}`).
//!
//! Written here rather than taken from `lsp-server`, whose stdio reader
//! thread stops at the first malformed message and whose `Response` cannot
//! carry the `"id": null` that JSON-RPC requires for a parse error. This
//! reader turns every bad frame into an [`Incoming::Invalid`] and goes on
//! reading: one broken message from an editor never ends the session.

use std::io::{self, BufRead, Read, Write};

use serde_json::Value;

/// Largest message body accepted (larger bodies are read and dropped).
const MAX_BODY: usize = 256 * 1024 * 1024;

/// JSON-RPC error codes used by the server.
pub(crate) mod code {
    pub const PARSE_ERROR: i64 = -32700;
    pub const INVALID_REQUEST: i64 = -32600;
    pub const METHOD_NOT_FOUND: i64 = -32601;
    pub const INVALID_PARAMS: i64 = -32602;
    pub const INTERNAL_ERROR: i64 = -32603;
    pub const SERVER_NOT_INITIALIZED: i64 = -32002;
}

/// One message from the client, already classified.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Incoming {
    Request {
        id: Value,
        method: String,
        params: Value,
    },
    Notification {
        method: String,
        params: Value,
    },
    /// A response to a request the server sent (e.g. `client/registerCapability`).
    Response {
        id: Value,
    },
    /// A frame that is not a valid JSON-RPC message. `id` is the request id
    /// when it could be read, else null; the server answers with `code`.
    Invalid {
        id: Value,
        code: i64,
        message: String,
    },
}

/// Read one message. `Ok(None)` at the end of the stream; I/O errors other
/// than a malformed frame end the session.
pub(crate) fn read(r: &mut impl BufRead) -> io::Result<Option<Incoming>> {
    let mut length: Option<usize> = None;
    let mut bad_header: Option<String> = None;
    let mut saw_header = false;
    let mut line = String::new();
    loop {
        line.clear();
        let mut raw = Vec::new();
        if r.read_until(b'\n', &mut raw)? == 0 {
            // End of stream (possibly inside a header block: nothing to answer).
            return Ok(None);
        }
        line.push_str(&String::from_utf8_lossy(&raw));
        let text = line.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        // A header may be glued to the tail of a previous broken body:
        // resynchronise on the last `Content-Length:`.
        let lower = text.to_ascii_lowercase();
        if let Some(at) = lower.rfind("content-length:") {
            let value = text[at + "content-length:".len()..].trim();
            match value.parse::<usize>() {
                Ok(n) => length = Some(n),
                Err(_) => bad_header = Some(format!("bad Content-Length header: {text:?}")),
            }
            if at > 0 {
                bad_header.get_or_insert_with(|| format!("garbage before header: {text:?}"));
            }
        } else if !text.contains(':') {
            bad_header.get_or_insert_with(|| format!("malformed header line: {text:?}"));
        }
    }
    let Some(length) = length else {
        return Ok(Some(Incoming::Invalid {
            id: Value::Null,
            code: code::PARSE_ERROR,
            message: bad_header.unwrap_or_else(|| "missing Content-Length header".into()),
        }));
    };
    if length > MAX_BODY {
        io::copy(&mut Read::take(&mut *r, length as u64), &mut io::sink())?;
        return Ok(Some(Incoming::Invalid {
            id: Value::Null,
            code: code::INVALID_REQUEST,
            message: format!("message of {length} bytes is too large"),
        }));
    }
    let mut body = vec![0; length];
    r.read_exact(&mut body)?;
    Ok(Some(classify(&body)))
}

/// Turn a message body into an [`Incoming`].
pub(crate) fn classify(body: &[u8]) -> Incoming {
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            return Incoming::Invalid {
                id: Value::Null,
                code: code::PARSE_ERROR,
                message: format!("malformed JSON: {e}"),
            };
        }
    };
    let Value::Object(mut obj) = value else {
        return Incoming::Invalid {
            id: Value::Null,
            code: code::INVALID_REQUEST,
            message: "a message must be a JSON object (batches are not supported)".into(),
        };
    };
    let id = obj.remove("id");
    let id_ok = matches!(id, Some(Value::Number(_) | Value::String(_)));
    let params = obj.remove("params").unwrap_or(Value::Null);
    match (obj.remove("method"), id) {
        (Some(Value::String(method)), None) => Incoming::Notification { method, params },
        (Some(Value::String(method)), Some(id)) if id_ok => {
            Incoming::Request { id, method, params }
        }
        (Some(Value::String(_)), Some(_)) => Incoming::Invalid {
            id: Value::Null,
            code: code::INVALID_REQUEST,
            message: "a request id must be a number or a string".into(),
        },
        (Some(_), id) => Incoming::Invalid {
            id: id.filter(|_| id_ok).unwrap_or(Value::Null),
            code: code::INVALID_REQUEST,
            message: "`method` must be a string".into(),
        },
        (None, Some(id)) if obj.contains_key("result") || obj.contains_key("error") => {
            Incoming::Response { id }
        }
        (None, id) => Incoming::Invalid {
            id: id.filter(|_| id_ok).unwrap_or(Value::Null),
            code: code::INVALID_REQUEST,
            message:
                "a message needs a `method` (request/notification) or a `result`/`error` (response)"
                    .into(),
        },
    }
}

/// Write one message with its header and flush.
pub(crate) fn write(w: &mut impl Write, msg: &Value) -> io::Result<()> {
    let text = serde_json::to_string(msg)?;
    write!(w, "Content-Length: {}\r\n\r\n", text.len())?;
    w.write_all(text.as_bytes())?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn reads_requests_notifications_and_recovers_from_bad_frames() {
        let input = [
            frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"#),
            frame("{not json"),
            frame(r#"{"jsonrpc":"2.0","id":2}"#),
            frame(r#"[1,2]"#),
            "X-Junk\r\n\r\n".to_string(),
            frame(r#"{"jsonrpc":"2.0","method":"initialized"}"#),
        ]
        .concat();
        let mut r = io::Cursor::new(input.into_bytes());
        let mut got = Vec::new();
        while let Some(m) = read(&mut r).unwrap() {
            got.push(m);
        }
        assert_eq!(got.len(), 6);
        assert_eq!(
            got[0],
            Incoming::Request {
                id: json!(1),
                method: "initialize".into(),
                params: json!({})
            }
        );
        assert!(matches!(
            &got[1],
            Incoming::Invalid {
                id: Value::Null,
                code: code::PARSE_ERROR,
                ..
            }
        ));
        assert!(
            matches!(&got[2], Incoming::Invalid { id, code: code::INVALID_REQUEST, .. } if *id == json!(2))
        );
        assert!(matches!(
            &got[3],
            Incoming::Invalid {
                code: code::INVALID_REQUEST,
                ..
            }
        ));
        assert!(matches!(
            &got[4],
            Incoming::Invalid {
                code: code::PARSE_ERROR,
                ..
            }
        ));
        assert_eq!(
            got[5],
            Incoming::Notification {
                method: "initialized".into(),
                params: Value::Null
            }
        );
    }

    #[test]
    fn resynchronises_on_a_header_glued_to_garbage() {
        // A body longer than announced runs into the next header.
        let input = format!(
            "Content-Length: 3\r\n\r\nabcdef{}",
            frame(r#"{"jsonrpc":"2.0","method":"exit"}"#)
        );
        let mut r = io::Cursor::new(input.into_bytes());
        let mut got = Vec::new();
        while let Some(m) = read(&mut r).unwrap() {
            got.push(m);
        }
        assert!(matches!(
            &got[0],
            Incoming::Invalid {
                code: code::PARSE_ERROR,
                ..
            }
        ));
        assert!(
            got.iter()
                .any(|m| matches!(m, Incoming::Notification { method, .. } if method == "exit"))
        );
    }

    #[test]
    fn writes_a_frame() {
        let mut out = Vec::new();
        write(&mut out, &json!({"jsonrpc":"2.0","id":1,"result":null})).unwrap();
        let s = String::from_utf8(out).unwrap();
        let (head, body) = s.split_once("\r\n\r\n").unwrap();
        assert_eq!(head, format!("Content-Length: {}", body.len()));
        assert_eq!(
            serde_json::from_str::<Value>(body).unwrap(),
            json!({"jsonrpc":"2.0","id":1,"result":null})
        );
    }
}
