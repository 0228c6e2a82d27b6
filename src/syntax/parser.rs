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
