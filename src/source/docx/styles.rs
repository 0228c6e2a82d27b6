//! Styles (`word/styles.xml`) and theme fonts (`word/theme/theme1.xml`):
//! enough of ECMA-376 §17.7 to know which font a run's Chinese text is set
//! in — direct formatting, then the run's character style, then the
//! paragraph style and its `w:basedOn` chain, then `w:docDefaults`.

use std::collections::HashMap;
use std::io::BufRead;

use super::xml::{Elem, Ev, XmlError, XmlReader};

/// A font as written in `w:rFonts`: a name, or a theme slot.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Fonts {
    pub east_asia: Option<String>,
    pub east_asia_theme: Option<String>,
    pub ascii: Option<String>,
    pub ascii_theme: Option<String>,
}

impl Fonts {
    pub fn from_elem(e: &Elem) -> Fonts {
        Fonts {
            east_asia: e.attr("eastAsia").map(str::to_string),
            east_asia_theme: e.attr("eastAsiaTheme").map(str::to_string),
            ascii: e.attr("ascii").map(str::to_string),
            ascii_theme: e.attr("asciiTheme").map(str::to_string),
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Style {
    pub name: Option<String>,
    pub kind: String,
    pub based_on: Option<String>,
    pub fonts: Fonts,
    pub num_id: Option<String>,
    pub ilvl: Option<usize>,
    pub outline_level: Option<u8>,
}

/// The style sheet of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Styles {
    pub styles: HashMap<String, Style>,
    pub default_paragraph: Option<String>,
    pub defaults: Fonts,
}

/// Theme fonts (`a:majorFont` / `a:minorFont`).
#[derive(Debug, Clone, Default)]
pub(crate) struct Theme {
    major_ea: Option<String>,
    minor_ea: Option<String>,
    major_latin: Option<String>,
    minor_latin: Option<String>,
}

/// Where a resolved font came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FontOrigin {
    /// Set on the run itself.
    Direct,
    /// From a style (its id).
    Style(String),
    /// From the document defaults.
    Defaults,
}

/// A resolved font.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FontRef {
    pub name: String,
    pub origin: FontOrigin,
}

impl Styles {
    pub fn parse(r: &mut XmlReader<impl BufRead>) -> Result<Styles, XmlError> {
        let mut s = Styles::default();
        let mut cur: Option<(String, Style, bool)> = None;
        let mut in_defaults_rpr = false;
        // Conditional table formatting and tracked changes hold rPr/pPr of
        // their own that must not be taken for the style's.
        loop {
            match r.next()? {
                Ev::Eof => break,
                Ev::Start(e) => match e.name.as_str() {
                    "rPrDefault" => in_defaults_rpr = true,
                    "style" => {
                        let id = e.attr("styleId").unwrap_or_default().to_string();
                        let kind = e.attr("type").unwrap_or("paragraph").to_string();
                        let default = e.attr("default").is_some_and(|v| v == "1" || v == "true");
                        cur = Some((
                            id,
                            Style {
                                kind,
                                ..Default::default()
                            },
                            default,
                        ));
                    }
                    "tblStylePr" | "rPrChange" | "pPrChange" => r.skip()?,
                    "rFonts" => {
                        let f = Fonts::from_elem(&e);
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.fonts = f;
                        } else if in_defaults_rpr {
                            s.defaults = f;
                        }
                    }
                    "name" => {
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.name = e.val().map(str::to_string);
                        }
                    }
                    "basedOn" => {
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.based_on = e.val().map(str::to_string);
                        }
                    }
                    "numId" => {
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.num_id = e.val().map(str::to_string);
                        }
                    }
                    "ilvl" => {
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.ilvl = e.val().and_then(|v| v.parse().ok());
                        }
                    }
                    "outlineLvl" => {
                        if let Some((_, st, _)) = cur.as_mut() {
                            st.outline_level = e.val().and_then(|v| v.parse().ok());
                        }
                    }
                    _ => {}
                },
                Ev::End(name) => match name.as_str() {
                    "rPrDefault" => in_defaults_rpr = false,
                    "style" => {
                        if let Some((id, st, default)) = cur.take() {
                            if default && st.kind == "paragraph" {
                                s.default_paragraph = Some(id.clone());
                            }
                            s.styles.insert(id, st);
                        }
                    }
                    _ => {}
                },
                Ev::Text(_) => {}
            }
        }
        Ok(s)
    }

    /// The style chain from `id` up its `w:basedOn` links (at most 16,
    /// cycles cut).
    pub fn chain<'a>(&'a self, id: Option<&'a str>) -> Vec<(&'a str, &'a Style)> {
        let mut out: Vec<(&str, &Style)> = Vec::new();
        let mut next = id;
        while let Some(id) = next {
            if out.len() >= 16 || out.iter().any(|(i, _)| *i == id) {
                break;
            }
            let Some((k, st)) = self.styles.get_key_value(id) else {
                break;
            };
            out.push((k.as_str(), st));
            next = st.based_on.as_deref();
        }
        out
    }

    /// The numbering (numId, ilvl) a paragraph style carries.
    pub fn numbering(&self, style: Option<&str>) -> Option<(String, Option<usize>)> {
        let chain = self.chain(style);
        let num = chain.iter().find_map(|(_, s)| s.num_id.clone())?;
        let ilvl = chain.iter().find_map(|(_, s)| s.ilvl);
        Some((num, ilvl))
    }

    pub fn outline_level(&self, style: Option<&str>) -> Option<u8> {
        self.chain(style).iter().find_map(|(_, s)| s.outline_level)
    }

    /// The east-Asian and ASCII fonts of a run: direct `run` fonts, then
    /// its character style, then the paragraph style chain, then defaults.
    pub fn resolve(
        &self,
        theme: &Theme,
        run: &Fonts,
        run_style: Option<&str>,
        para_style: Option<&str>,
    ) -> (Option<FontRef>, Option<FontRef>) {
        let mut layers: Vec<(&Fonts, FontOrigin)> = vec![(run, FontOrigin::Direct)];
        for (id, st) in self.chain(run_style) {
            layers.push((&st.fonts, FontOrigin::Style(id.to_string())));
        }
        for (id, st) in self.chain(para_style) {
            layers.push((&st.fonts, FontOrigin::Style(id.to_string())));
        }
        layers.push((&self.defaults, FontOrigin::Defaults));
        let pick = |east: bool| {
            for (f, origin) in &layers {
                let (theme_slot, name) = if east {
                    (&f.east_asia_theme, &f.east_asia)
                } else {
                    (&f.ascii_theme, &f.ascii)
                };
                // A theme attribute wins over the plain one on the same level.
                if let Some(slot) = theme_slot {
                    return theme.font(slot).map(|name| FontRef {
                        name,
                        origin: origin.clone(),
                    });
                }
                if let Some(n) = name {
                    return Some(FontRef {
                        name: n.clone(),
                        origin: origin.clone(),
                    });
                }
            }
            None
        };
        (pick(true), pick(false))
    }
}

impl Theme {
    pub fn parse(r: &mut XmlReader<impl BufRead>) -> Result<Theme, XmlError> {
        let mut t = Theme::default();
        // 0 outside, 1 majorFont, 2 minorFont
        let mut which = 0;
        loop {
            match r.next()? {
                Ev::Eof => break,
                Ev::Start(e) => match e.name.as_str() {
                    "majorFont" => which = 1,
                    "minorFont" => which = 2,
                    "latin" | "ea" | "font" if which > 0 => {
                        let face = e.attr("typeface").filter(|f| !f.is_empty());
                        let Some(face) = face else { continue };
                        let (ea, latin) = if which == 1 {
                            (&mut t.major_ea, &mut t.major_latin)
                        } else {
                            (&mut t.minor_ea, &mut t.minor_latin)
                        };
                        match e.name.as_str() {
                            "latin" => *latin = Some(face.to_string()),
                            "ea" if ea.is_none() => *ea = Some(face.to_string()),
                            // The simplified-Chinese script font wins.
                            _ if e.attr("script") == Some("Hans") => *ea = Some(face.to_string()),
                            _ => {}
                        }
                    }
                    _ => {}
                },
                Ev::End(name) => {
                    if name == "majorFont" || name == "minorFont" {
                        which = 0;
                    }
                }
                Ev::Text(_) => {}
            }
        }
        Ok(t)
    }

    /// The font of a theme slot (`minorEastAsia`, `majorHAnsi` …).
    pub fn font(&self, slot: &str) -> Option<String> {
        let major = slot.starts_with("major");
        let ea = slot.ends_with("EastAsia");
        match (major, ea) {
            (true, true) => self.major_ea.clone(),
            (false, true) => self.minor_ea.clone(),
            (true, false) => self.major_latin.clone(),
            (false, false) => self.minor_latin.clone(),
        }
    }
}
