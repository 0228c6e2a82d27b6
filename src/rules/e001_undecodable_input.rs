//! ## What it does
//! Reports input that cannot be decoded as text: a binary file (it holds NUL
//! bytes), or bytes that are not valid in any supported encoding. Supported
//! are UTF-8 (with or without BOM), UTF-16 LE/BE with BOM, and GB18030 —
//! which covers GBK and GB2312 — detected when the bytes are not UTF-8 and
//! look like Chinese text; `--encoding` forces one. A Word file that cannot
//! be read is reported the same way: damaged or truncated, encrypted
//! (password-protected), an old `.doc`, or a "zip bomb" that would inflate
//! past the size limits.
//!
//! ## Why is this bad?
//! Checking mojibake would report nonsense. gongwen stops with exit status 2
//! and names the byte and line where decoding failed (or what is wrong with
//! the .docx), so the drafter can save the report again.
//!
//! ## Example
//! A `.doc` (old Word binary) file renamed to `.txt`; a `.docx` whose
//! download was cut off; a text file saved in an encoding that is neither
//! UTF-8 nor GB18030.
//!
//! ## Use instead
//! Save the report as `.docx` or as UTF-8 text (另存为 → 纯文本 → UTF-8), or
//! name the encoding with `--encoding gb18030`.
//!
//! ## Basis
//! None: an input problem, not a drafting rule.
