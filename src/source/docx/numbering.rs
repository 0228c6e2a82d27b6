//! Word's automatic list numbering (`word/numbering.xml`, ECMA-376 §17.9)
//! rendered as the text a reader sees: 「一、」「（一）」「1.」「（1）」「①」.
//!
//! Model: `w:num` instances point at a `w:abstractNum` (possibly through a
//! numbering style: `w:numStyleLink` → style → `w:num` → `w:abstractNum`
//! with the matching `w:styleLink`); each has up to nine levels (`w:lvl`
//! with `w:start`, `w:numFmt`, `w:lvlText`, `w:lvlRestart`, `w:isLgl`).
//! Lists that share an abstract definition continue one another, as in
//! Word; a `w:lvlOverride/w:startOverride` restarts its level the first
//! time that `w:num` is used. Using a level restarts the deeper ones unless
//! their `w:lvlRestart` says otherwise.

use std::collections::{HashMap, HashSet};
use std::io::BufRead;

use super::xml::{Ev, XmlError, XmlReader};

const LEVELS: usize = 9;

#[derive(Debug, Clone, Default)]
pub(crate) struct Level {
    pub start: Option<i64>,
    pub fmt: Option<String>,
    /// `w:format` of a `custom` numFmt (e.g. `01, 02, 03, ...`).
    pub custom: Option<String>,
    pub text: Option<String>,
    /// 1-based level whose use restarts this one; 0 = never.
    pub restart: Option<u32>,
    pub is_lgl: bool,
    pub pstyle: Option<String>,
}

impl Level {
    fn start(&self) -> i64 {
        self.start.unwrap_or(1)
    }
}

#[derive(Debug, Clone, Default)]
struct Abstract {
    levels: Vec<Option<Level>>,
    num_style_link: Option<String>,
}

#[derive(Debug, Clone, Default)]
struct Override {
    start: Option<i64>,
    level: Option<Level>,
}

#[derive(Debug, Clone, Default)]
struct Num {
    abstract_id: String,
    overrides: HashMap<usize, Override>,
}

/// The numbering definitions of a document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Numbering {
    abstracts: HashMap<String, Abstract>,
    nums: HashMap<String, Num>,
    /// abstractNum id of the definition whose `w:styleLink` is a style id.
    style_links: HashMap<String, String>,
}

/// Counters while walking the document in order.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    values: HashMap<String, [Option<i64>; LEVELS]>,
    overridden: HashSet<(String, usize)>,
}

fn parse_level(r: &mut XmlReader<impl BufRead>, lvl: &mut Level) -> Result<(), XmlError> {
    let depth = r.depth();
    loop {
        match r.next()? {
            Ev::Start(e) => {
                match e.name.as_str() {
                    "start" => lvl.start = e.val().and_then(|v| v.parse().ok()),
                    // Inside mc:AlternateContent the Choice comes first (e.g.
                    // `custom`); keep the first one seen.
                    "numFmt" if lvl.fmt.is_none() => {
                        lvl.fmt = e.val().map(str::to_string);
                        lvl.custom = e.attr("format").map(str::to_string);
                    }
                    "lvlText" => lvl.text = e.val().map(str::to_string),
                    "lvlRestart" => lvl.restart = e.val().and_then(|v| v.parse().ok()),
                    "isLgl" => lvl.is_lgl = e.on(),
                    "pStyle" => lvl.pstyle = e.val().map(str::to_string),
                    _ => {}
                }
            }
            Ev::End(_) if r.depth() < depth => return Ok(()),
            Ev::Eof => return Ok(()),
            _ => {}
        }
    }
}

impl Numbering {
    pub fn parse(r: &mut XmlReader<impl BufRead>) -> Result<Numbering, XmlError> {
        let mut n = Numbering::default();
        let mut cur_abs: Option<(String, Abstract)> = None;
        let mut cur_num: Option<(String, Num)> = None;
        let mut cur_override: Option<usize> = None;
        loop {
            match r.next()? {
                Ev::Eof => break,
                Ev::Start(e) => match e.name.as_str() {
                    "abstractNum" => {
                        let id = e.attr("abstractNumId").unwrap_or_default().to_string();
                        cur_abs = Some((
                            id,
                            Abstract {
                                levels: vec![None; LEVELS],
                                ..Default::default()
                            },
                        ));
                    }
                    "numStyleLink" => {
                        if let Some((_, a)) = cur_abs.as_mut() {
                            a.num_style_link = e.val().map(str::to_string);
                        }
                    }
                    "styleLink" => {
                        if let (Some((id, _)), Some(v)) = (cur_abs.as_ref(), e.val()) {
                            n.style_links.insert(v.to_string(), id.clone());
                        }
                    }
                    "num" => {
                        let id = e.attr("numId").unwrap_or_default().to_string();
                        cur_num = Some((id, Num::default()));
                    }
                    "abstractNumId" => {
                        if let (Some((_, num)), Some(v)) = (cur_num.as_mut(), e.val()) {
                            num.abstract_id = v.to_string();
                        }
                    }
                    "lvlOverride" => {
                        cur_override = e.attr("ilvl").and_then(|v| v.parse().ok());
                    }
                    "startOverride" => {
                        if let (Some((_, num)), Some(i)) = (cur_num.as_mut(), cur_override) {
                            num.overrides.entry(i).or_default().start =
                                e.val().and_then(|v| v.parse().ok());
                        }
                    }
                    "lvl" => {
                        let ilvl: usize = e
                            .attr("ilvl")
                            .and_then(|v| v.parse().ok())
                            .unwrap_or(LEVELS);
                        let mut lvl = Level::default();
                        parse_level(r, &mut lvl)?;
                        if ilvl >= LEVELS {
                            continue;
                        }
                        if let (Some((_, num)), Some(i)) = (cur_num.as_mut(), cur_override) {
                            num.overrides.entry(i).or_default().level = Some(lvl);
                        } else if let Some((_, a)) = cur_abs.as_mut() {
                            a.levels[ilvl] = Some(lvl);
                        }
                    }
                    _ => {}
                },
                Ev::End(name) => match name.as_str() {
                    "abstractNum" => {
                        if let Some((id, a)) = cur_abs.take() {
                            n.abstracts.insert(id, a);
                        }
                    }
                    "num" => {
                        if let Some((id, num)) = cur_num.take() {
                            n.nums.insert(id, num);
                        }
                    }
                    "lvlOverride" => cur_override = None,
                    _ => {}
                },
                Ev::Text(_) => {}
            }
        }
        Ok(n)
    }

    /// The abstract definition a `w:num` uses, following numbering-style
    /// links (`style_num` maps a numbering style id to its `w:numId`).
    fn abstract_of<'a>(
        &'a self,
        num_id: &str,
        style_num: &dyn Fn(&str) -> Option<String>,
    ) -> Option<(&'a str, &'a Abstract)> {
        let mut abs_id = self.nums.get(num_id)?.abstract_id.as_str();
        for _ in 0..8 {
            let (id, a) = self.abstracts.get_key_value(abs_id)?;
            let Some(link) = &a.num_style_link else {
                return Some((id.as_str(), a));
            };
            let next = self.style_links.get(link).map(String::as_str).or_else(|| {
                let n = style_num(link)?;
                self.nums.get(&n).map(|n| n.abstract_id.as_str())
            })?;
            if next == abs_id {
                return Some((id.as_str(), a));
            }
            abs_id = next;
        }
        None
    }

    /// The level a paragraph of style `style_id` takes in list `num_id`
    /// when only the style names the list (`w:lvl/w:pStyle`).
    pub fn level_for_style(
        &self,
        num_id: &str,
        style_id: &str,
        style_num: &dyn Fn(&str) -> Option<String>,
    ) -> Option<usize> {
        let (_, a) = self.abstract_of(num_id, style_num)?;
        a.levels
            .iter()
            .position(|l| l.as_ref().and_then(|l| l.pstyle.as_deref()) == Some(style_id))
    }

    fn level<'a>(&'a self, num: &'a Num, a: &'a Abstract, ilvl: usize) -> Option<&'a Level> {
        num.overrides
            .get(&ilvl)
            .and_then(|o| o.level.as_ref())
            .or_else(|| a.levels.get(ilvl)?.as_ref())
    }

    /// Advance the counters for a paragraph numbered `num_id`/`ilvl` and
    /// return its label (e.g. 「（三）」), or `None` when the list or level
    /// is not defined. `numId` 0 means "no numbering".
    pub fn label(
        &self,
        counters: &mut Counters,
        num_id: &str,
        ilvl: usize,
        style_num: &dyn Fn(&str) -> Option<String>,
    ) -> Option<String> {
        if num_id == "0" || ilvl >= LEVELS {
            return None;
        }
        let num = self.nums.get(num_id)?;
        let (abs_id, a) = self.abstract_of(num_id, style_num)?;
        let lvl = self.level(num, a, ilvl)?;
        let values = counters
            .values
            .entry(abs_id.to_string())
            .or_insert([None; LEVELS]);
        let start_of = |i: usize| -> i64 {
            num.overrides
                .get(&i)
                .and_then(|o| o.start)
                .or_else(|| self.level(num, a, i).map(Level::start))
                .unwrap_or(1)
        };
        let key = (num_id.to_string(), ilvl);
        let value = if num.overrides.get(&ilvl).is_some_and(|o| o.start.is_some())
            && !counters.overridden.contains(&key)
        {
            counters.overridden.insert(key);
            start_of(ilvl)
        } else {
            values[ilvl].map_or_else(|| start_of(ilvl), |v| v.saturating_add(1))
        };
        values[ilvl] = Some(value);
        for (d, slot) in values.iter_mut().enumerate().skip(ilvl + 1) {
            let restart = self.level(num, a, d).and_then(|l| l.restart);
            let reset = match restart {
                None => true,
                Some(0) => false,
                Some(r) => (ilvl as u32) < r,
            };
            if reset {
                *slot = None;
            }
        }
        let snapshot = *values;
        let fmt = lvl.fmt.as_deref().unwrap_or("decimal");
        if fmt == "none" {
            return Some(String::new());
        }
        let text = lvl.text.as_deref().unwrap_or("");
        if fmt == "bullet" {
            return Some(text.chars().map(visible_bullet).collect());
        }
        let mut out = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '%'
                && let Some(d) = chars.peek().and_then(|d| d.to_digit(10))
                && (1..=9).contains(&d)
            {
                chars.next();
                let i = d as usize - 1;
                if i > ilvl {
                    continue;
                }
                let v = snapshot[i].unwrap_or_else(|| start_of(i));
                let l = self.level(num, a, i);
                let f = if lvl.is_lgl && i != ilvl {
                    "decimal"
                } else {
                    l.and_then(|l| l.fmt.as_deref()).unwrap_or("decimal")
                };
                let custom = l.and_then(|l| l.custom.as_deref());
                out.push_str(&format_number(v, f, custom));
            } else {
                out.push(c);
            }
        }
        Some(out)
    }
}

/// Bullets drawn from symbol fonts are Private Use Area characters
/// (Symbol U+F0B7 is •): show them as the bullet a reader sees.
fn visible_bullet(c: char) -> char {
    match c as u32 {
        0xF0B7 | 0xF09F => '•',
        0xF0A7 | 0xF06E => '▪',
        0xF0D8 => '➢',
        0xF0FC => '✓',
        0xF076 => '❖',
        0xE000..=0xF8FF => '•',
        _ => c,
    }
}

/// A counter value in a Word number format (ST_NumberFormat).
pub fn format_number(n: i64, fmt: &str, custom: Option<&str>) -> String {
    let dec = || n.to_string();
    // Hostile start values must not build huge labels (AAAA…).
    if !(0..=1_000_000).contains(&n) {
        return dec();
    }
    let u = n as u32;
    match fmt {
        "decimal" | "ordinal" | "cardinalText" | "ordinalText" => dec(),
        "decimalZero" => format!("{n:02}"),
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand"
        | "ideographDigital"
            if n == 0 =>
        {
            "〇".into()
        }
        "chineseCounting"
        | "chineseCountingThousand"
        | "japaneseCounting"
        | "taiwaneseCounting"
        | "taiwaneseCountingThousand" => cn_counting(u, false),
        "chineseLegalSimplified" | "ideographLegalTraditional" => cn_counting(u, true),
        "ideographDigital" | "taiwaneseDigital" => n
            .to_string()
            .chars()
            .map(|d| {
                ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"]
                    [d as usize - '0' as usize]
            })
            .collect(),
        "ideographTraditional" => table(
            u,
            &["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸"],
        ),
        "ideographZodiac" => table(
            u,
            &[
                "子", "丑", "寅", "卯", "辰", "巳", "午", "未", "申", "酉", "戌", "亥",
            ],
        ),
        "decimalEnclosedCircle" | "decimalEnclosedCircleChinese" | "ideographEnclosedCircle"
            if (1..=20).contains(&u) =>
        {
            char::from_u32(0x2460 + u - 1).map_or_else(dec, String::from)
        }
        "decimalEnclosedParen" if (1..=20).contains(&u) => {
            char::from_u32(0x2474 + u - 1).map_or_else(dec, String::from)
        }
        "decimalEnclosedFullstop" if (1..=20).contains(&u) => {
            char::from_u32(0x2488 + u - 1).map_or_else(dec, String::from)
        }
        "decimalFullWidth" | "decimalFullWidth2" => n
            .to_string()
            .chars()
            .map(|d| char::from_u32(d as u32 - '0' as u32 + 0xFF10).unwrap_or(d))
            .collect(),
        "upperLetter" | "lowerLetter" if (1..=26 * 10).contains(&u) => {
            let c = (b'A' + ((u - 1) % 26) as u8) as char;
            let s = c.to_string().repeat(((u - 1) / 26 + 1) as usize);
            if fmt == "lowerLetter" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "upperRoman" | "lowerRoman" if (1..4000).contains(&u) => {
            let s = roman(u);
            if fmt == "lowerRoman" {
                s.to_lowercase()
            } else {
                s
            }
        }
        "custom" => match custom {
            Some(f) if f.starts_with("00") => format!("{n:03}"),
            Some(f) if f.starts_with('0') => format!("{n:02}"),
            _ => dec(),
        },
        _ => dec(),
    }
}

fn table(n: u32, items: &[&str]) -> String {
    if n == 0 || n as usize > items.len() {
        return n.to_string();
    }
    items[n as usize - 1].to_string()
}

/// 一 … 九千九百九十九 (or 壹 … with `legal`), as Word counts: 十, 十一,
/// 二十, 一百零一, 一千零一十.
fn cn_counting(n: u32, legal: bool) -> String {
    let (digits, units): ([&str; 10], [&str; 4]) = if legal {
        (
            ["零", "壹", "贰", "叁", "肆", "伍", "陆", "柒", "捌", "玖"],
            ["", "拾", "佰", "仟"],
        )
    } else {
        (
            ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"],
            ["", "十", "百", "千"],
        )
    };
    if n == 0 || n > 9999 {
        return n.to_string();
    }
    if (10..20).contains(&n) && !legal {
        return format!(
            "十{}",
            if n == 10 {
                ""
            } else {
                digits[(n - 10) as usize]
            }
        );
    }
    let ds = [n / 1000, n / 100 % 10, n / 10 % 10, n % 10];
    let mut out = String::new();
    let mut zero = false;
    for (i, &d) in ds.iter().enumerate() {
        let unit = units[3 - i];
        if d == 0 {
            if !out.is_empty() {
                zero = true;
            }
            continue;
        }
        if zero {
            out.push_str(digits[0]);
            zero = false;
        }
        out.push_str(digits[d as usize]);
        out.push_str(unit);
    }
    out
}

fn roman(mut n: u32) -> String {
    const R: [(u32, &str); 13] = [
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for (v, r) in R {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        let f = |n, fmt| format_number(n, fmt, None);
        assert_eq!(f(1, "chineseCounting"), "一");
        assert_eq!(f(10, "chineseCounting"), "十");
        assert_eq!(f(12, "chineseCountingThousand"), "十二");
        assert_eq!(f(20, "chineseCounting"), "二十");
        assert_eq!(f(101, "chineseCounting"), "一百零一");
        assert_eq!(f(1010, "chineseCounting"), "一千零一十");
        assert_eq!(f(3, "chineseLegalSimplified"), "叁");
        assert_eq!(f(3, "decimalEnclosedCircle"), "③");
        assert_eq!(f(21, "decimalEnclosedCircle"), "21");
        assert_eq!(f(2, "ideographTraditional"), "乙");
        assert_eq!(f(4, "lowerRoman"), "iv");
        assert_eq!(f(28, "upperLetter"), "BB");
        assert_eq!(f(5, "decimalZero"), "05");
    }
}
