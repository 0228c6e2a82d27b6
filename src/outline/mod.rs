//! Outline numerals: parsing ordinals (一…九十九, 1…99, ①…⑳), writing them
//! back, and the standard marker of each rank (GB/T 9704 7.3.3,
//! GB/T 15834 B.3.8).

/// The value of a Chinese ordinal 一 … 九十九 (as the grammar's `cn_ordinal`
/// matches it).
pub fn parse_cn_ordinal(s: &str) -> Option<u32> {
    let d = |c: char| -> Option<u32> {
        match c {
            '一' => Some(1),
            '二' => Some(2),
            '三' => Some(3),
            '四' => Some(4),
            '五' => Some(5),
            '六' => Some(6),
            '七' => Some(7),
            '八' => Some(8),
            '九' => Some(9),
            _ => None,
        }
    };
    // At most three characters, looked at without collecting them.
    let mut it = s.chars();
    let (a, b, c) = (it.next()?, it.next(), it.next());
    if it.next().is_some() {
        return None;
    }
    match (a, b, c) {
        ('十', None, None) => Some(10),
        (a, None, None) => d(a),
        ('十', Some(b), None) => Some(10 + d(b)?),
        (a, Some('十'), None) => Some(d(a)? * 10),
        (a, Some('十'), Some(b)) => Some(d(a)? * 10 + d(b)?),
        _ => None,
    }
}

/// The definition [`parse_cn_ordinal`] was written from (collecting the
/// characters first); a test holds the two equal.
#[cfg(test)]
fn parse_cn_ordinal_slow(s: &str) -> Option<u32> {
    let digits: Vec<char> = s.chars().collect();
    let d = |c: char| -> Option<u32> {
        "一二三四五六七八九"
            .chars()
            .position(|x| x == c)
            .map(|i| i as u32 + 1)
    };
    match digits.as_slice() {
        [a] if *a == '十' => Some(10),
        [a] => d(*a),
        ['十', b] => Some(10 + d(*b)?),
        [a, '十'] => Some(d(*a)? * 10),
        [a, '十', b] => Some(d(*a)? * 10 + d(*b)?),
        _ => None,
    }
}

/// The value of an Arabic ordinal, ASCII or full-width digits.
pub fn parse_ar_ordinal(s: &str) -> Option<u32> {
    let mut n: u32 = 0;
    let mut any = false;
    for c in s.chars() {
        let v = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => return None,
        };
        n = n.checked_mul(10)?.checked_add(v)?;
        any = true;
    }
    any.then_some(n)
}

/// The value of a circled number ① … ⑳.
pub fn circled_value(c: char) -> Option<u32> {
    let v = c as u32;
    (0x2460..=0x2473).contains(&v).then(|| v - 0x2460 + 1)
}

/// 1 … 99 written as a Chinese ordinal (一, 十, 十二, 二十, 二十三).
pub fn cn_numeral(n: u32) -> Option<String> {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => Some(D[n as usize].to_string()),
        10 => Some("十".to_string()),
        11..=19 => Some(format!("十{}", D[(n - 10) as usize])),
        20..=99 => Some(format!(
            "{}十{}",
            D[(n / 10) as usize],
            D[(n % 10) as usize]
        )),
        _ => None,
    }
}

/// The standard marker of `rank` with `ordinal`: 一、 （一） 1. （1） ①.
pub fn canonical_marker(rank: u8, ordinal: u32) -> Option<String> {
    match rank {
        1 => Some(format!("{}、", cn_numeral(ordinal)?)),
        2 => Some(format!("（{}）", cn_numeral(ordinal)?)),
        3 if ordinal > 0 => Some(format!("{ordinal}.")),
        4 if ordinal > 0 => Some(format!("（{ordinal}）")),
        5 if (1..=20).contains(&ordinal) => char::from_u32(0x2460 + ordinal - 1).map(String::from),
        _ => None,
    }
}

/// A short Chinese name of a rank for messages: 一级标题（“一、”）.
pub fn rank_name_zh(rank: u8) -> &'static str {
    match rank {
        1 => "一级标题（“一、”）",
        2 => "二级标题（“（一）”）",
        3 => "三级标题（“1.”）",
        4 => "四级标题（“（1）”）",
        5 => "五级标题（“①”）",
        _ => "标题",
    }
}

/// An English name of a rank for messages.
pub fn rank_name_en(rank: u8) -> &'static str {
    match rank {
        1 => "level-1 heading (`一、`)",
        2 => "level-2 heading (`（一）`)",
        3 => "level-3 heading (`1.`)",
        4 => "level-4 heading (`（1）`)",
        5 => "level-5 heading (`①`)",
        _ => "heading",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `parse_cn_ordinal` equals its collecting definition on every string
    /// of up to four characters from the numerals and a few others.
    #[test]
    fn cn_ordinal_equals_its_definition() {
        let alphabet: Vec<char> = "一二三四五六七八九十零〇两x是、".chars().collect();
        let mut strings = vec![String::new()];
        let mut last = vec![String::new()];
        for _ in 0..4 {
            last = last
                .iter()
                .flat_map(|s| alphabet.iter().map(move |c| format!("{s}{c}")))
                .collect();
            strings.extend(last.iter().cloned());
        }
        let mut valued = 0;
        for s in &strings {
            assert_eq!(parse_cn_ordinal(s), parse_cn_ordinal_slow(s), "{s}");
            valued += usize::from(parse_cn_ordinal(s).is_some());
        }
        // 1 … 99, and 一十 … 一十九 again.
        assert_eq!(valued, 109);
    }

    #[test]
    fn chinese_ordinals_round_trip() {
        for n in 1..=99 {
            let s = cn_numeral(n).unwrap();
            assert_eq!(parse_cn_ordinal(&s), Some(n), "{s}");
        }
        assert_eq!(parse_cn_ordinal("十十"), None);
        assert_eq!(parse_ar_ordinal("１２"), Some(12));
        assert_eq!(circled_value('⑳'), Some(20));
        assert_eq!(canonical_marker(2, 11).as_deref(), Some("（十一）"));
        assert_eq!(canonical_marker(5, 3).as_deref(), Some("③"));
    }
}
