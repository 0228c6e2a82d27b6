//! The pest parser generated from `grammar/tokens.pest` and `grammar/outline.pest`.

use pest_derive::Parser;

/// The outline grammar. `Rule::document` matches every input.
#[derive(Parser)]
#[grammar = "grammar/tokens.pest"]
#[grammar = "grammar/outline.pest"]
pub struct OutlineParser;

/// A Chinese phrase for a grammar rule, for messages that tell users what was
/// expected in their words.
pub fn rule_name_zh(rule: Rule) -> &'static str {
    match rule {
        Rule::rank1 => "一级标题序号（如“一、”）",
        Rule::rank2 => "二级标题序号（如“（一）”）",
        Rule::rank3 => "三级标题序号（如“1.”）",
        Rule::rank4 => "四级标题序号（如“（1）”）",
        Rule::rank5 => "五级标题序号（如“①”）",
        Rule::date_line | Rule::date => "成文日期（如“2025年1月20日”）",
        Rule::doc_number_line | Rule::doc_number => "发文字号（如“×府〔2025〕1号”）",
        Rule::addressee => "主送机关（如“县委、县政府：”）",
        Rule::attachment_line => "附件说明（如“附件：1.××”）",
        Rule::closing_line => "结束语（如“特此报告。”）",
        Rule::enum_marker => "段内序次语（如“一是”）",
        _ => "正文",
    }
}

#[cfg(test)]
mod tests {
    /// The string alternatives of the rule `name` in a grammar text.
    fn strings(grammar: &str, name: &str) -> Vec<String> {
        let line = grammar
            .lines()
            .find(|l| l.starts_with(&format!("{name} = ")))
            .unwrap_or_else(|| panic!("no rule {name}"));
        let body = &line[line.find('{').unwrap() + 1..line.rfind('}').unwrap()];
        let body = body.split("~ ANY").next().unwrap();
        body.split('"')
            .skip(1)
            .step_by(2)
            .map(|s| s.replace("\\n", "\n").replace("\\r", "\r"))
            .collect()
    }

    /// The speed-spelled rules of outline.pest use exactly the strings of
    /// the token rules they stand for (see the note at the top of the file).
    #[test]
    fn spelled_out_skips_match_their_tokens() {
        let tokens = include_str!("../../grammar/tokens.pest");
        let outline = include_str!("../../grammar/outline.pest");
        let eol = strings(tokens, "eol_char");
        let with_eol = |mut v: Vec<String>| {
            v.extend(eol.iter().cloned());
            v
        };
        assert_eq!(
            strings(outline, "heading_text"),
            with_eol(strings(tokens, "sentence_end"))
        );
        // The guards stop at their token or at the end of the line.
        for (guard, token) in [
            ("hao_ahead", "号"),
            ("fw_colon_ahead", "："),
            ("ascii_colon_ahead", ":"),
        ] {
            assert_eq!(strings(outline, guard), with_eol(vec![token.to_string()]));
        }
        assert!(
            strings(tokens, "colon")
                .iter()
                .all(|c| c == "：" || c == ":")
        );
    }
}
