//! Bytes to text. Text is never linted as mojibake: input that cannot be
//! decoded is an [`InputError`] (exit status 2), with the place it failed.

use serde::Serialize;

/// The encoding a source was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    #[default]
    Utf8,
}

impl Encoding {
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
        }
    }
}

/// How the decoded text relates to the bytes on disk, so that fixes can be
/// written back in the same form.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Origin {
    pub encoding: Encoding,
    /// The input started with a byte-order mark (removed from the text).
    pub bom: bool,
}

/// Input that cannot be checked at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum InputError {
    #[error("无法读取 {name}：{source}")]
    #[diagnostic(code(E003))]
    Io {
        name: String,
        source: std::io::Error,
    },
    #[error("{name} 看起来是二进制文件（第 {offset} 字节处有 NUL 字节），不是文本报告")]
    #[diagnostic(
        code(E001),
        help("请提供 .txt、.md 或 .docx 格式的报告；如果是 Word 文件，请另存为 .docx 或纯文本")
    )]
    Binary { name: String, offset: usize },
    #[error("{name} 不是有效的 UTF-8 文本：第 {line} 行（第 {offset} 字节处）出现无法解码的字节")]
    #[diagnostic(code(E001), help("请将文件另存为 UTF-8 编码的文本后再检查"))]
    InvalidUtf8 {
        name: String,
        offset: usize,
        line: usize,
    },
}

impl InputError {
    /// English text for `--lang en`.
    pub fn message_en(&self) -> String {
        match self {
            InputError::Io { name, source } => format!("cannot read {name}: {source}"),
            InputError::Binary { name, offset } => {
                format!(
                    "{name} looks like a binary file (NUL byte at byte {offset}), not a text report"
                )
            }
            InputError::InvalidUtf8 { name, offset, line } => format!(
                "{name} is not valid UTF-8 text: undecodable bytes on line {line} (byte {offset})"
            ),
        }
    }
}

/// Decode input bytes to text.
pub fn decode(name: &str, bytes: &[u8]) -> Result<(String, Origin), InputError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    if let Some(offset) = body.iter().position(|&b| b == 0) {
        return Err(InputError::Binary {
            name: name.to_string(),
            offset: offset + if bom { 3 } else { 0 },
        });
    }
    match std::str::from_utf8(body) {
        Ok(text) => Ok((
            text.to_string(),
            Origin {
                encoding: Encoding::Utf8,
                bom,
            },
        )),
        Err(e) => {
            let offset = e.valid_up_to();
            let line = 1 + body[..offset].iter().filter(|&&b| b == b'\n').count();
            Err(InputError::InvalidUtf8 {
                name: name.to_string(),
                offset: offset + if bom { 3 } else { 0 },
                line,
            })
        }
    }
}
