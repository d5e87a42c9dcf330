//! The same notices as one OpenDocument text (flat XML, `.fodt`): what an
//! office would otherwise produce with a word processor and a mail merge, one
//! notice per A4 page. Used by `houqin bench notices` to compare our PDF with
//! converting this document to PDF with LibreOffice (`soffice --headless
//! --convert-to pdf`); a school can also open it in Writer and edit.
//!
//! Same content as the PDF (title, child, rows, total in capital numerals,
//! explanations, payment, signatures, number); not the same layout rules: no
//! A5 halves, and Writer decides the page breaks of a long notice.

use std::fmt::Write;

use super::{Notice, NoticeBatch};

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

const HEAD: &str = r##"<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"
 xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
 office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.text">
<office:font-face-decls>
 <style:font-face style:name="CJK" svg:font-family="'Noto Sans CJK SC'"/>
</office:font-face-decls>
<office:styles>
 <style:default-style style:family="paragraph">
  <style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.08cm"/>
  <style:text-properties style:font-name="CJK" style:font-name-asian="CJK" fo:font-size="10.5pt" style:font-size-asian="10.5pt" fo:language="zh" fo:country="CN"/>
 </style:default-style>
</office:styles>
<office:automatic-styles>
 <style:page-layout style:name="pm1">
  <style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" fo:margin-top="1.6cm" fo:margin-bottom="1.6cm" fo:margin-left="1.8cm" fo:margin-right="1.8cm"/>
 </style:page-layout>
 <style:style style:name="Num" style:family="paragraph"><style:paragraph-properties fo:text-align="end"/><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt" fo:color="#4d4d4d"/></style:style>
 <style:style style:name="NumBreak" style:family="paragraph"><style:paragraph-properties fo:text-align="end" fo:break-before="page"/><style:text-properties fo:font-size="8pt" style:font-size-asian="8pt" fo:color="#4d4d4d"/></style:style>
 <style:style style:name="Header" style:family="paragraph"><style:paragraph-properties fo:text-align="center"/><style:text-properties fo:font-size="10pt" style:font-size-asian="10pt" fo:color="#404040"/></style:style>
 <style:style style:name="Title" style:family="paragraph"><style:paragraph-properties fo:text-align="center" fo:margin-bottom="0.3cm"/><style:text-properties fo:font-size="17pt" style:font-size-asian="17pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="Bold" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.2cm"/><style:text-properties fo:font-size="11pt" style:font-size-asian="11pt" fo:font-weight="bold" style:font-weight-asian="bold"/></style:style>
 <style:style style:name="Small" style:family="paragraph"><style:text-properties fo:font-size="9.5pt" style:font-size-asian="9.5pt"/></style:style>
 <style:style style:name="Cell" style:family="paragraph"><style:paragraph-properties fo:margin-bottom="0cm"/></style:style>
 <style:style style:name="CellR" style:family="paragraph"><style:paragraph-properties fo:text-align="end" fo:margin-bottom="0cm"/></style:style>
 <style:style style:name="Sign" style:family="paragraph"><style:paragraph-properties fo:margin-top="0.6cm"/></style:style>
 <style:style style:name="Info" style:family="table"><style:table-properties style:width="17.4cm" table:align="margins" fo:margin-bottom="0.25cm"/></style:style>
 <style:style style:name="Info.A" style:family="table-column"><style:table-column-properties style:column-width="5.9cm"/></style:style>
 <style:style style:name="Info.B" style:family="table-column"><style:table-column-properties style:column-width="3.5cm"/></style:style>
 <style:style style:name="Info.C" style:family="table-column"><style:table-column-properties style:column-width="3.8cm"/></style:style>
 <style:style style:name="Info.D" style:family="table-column"><style:table-column-properties style:column-width="4.2cm"/></style:style>
 <style:style style:name="Money" style:family="table"><style:table-properties style:width="17.4cm" table:align="margins"/></style:style>
 <style:style style:name="Money.A" style:family="table-column"><style:table-column-properties style:column-width="4.7cm"/></style:style>
 <style:style style:name="Money.B" style:family="table-column"><style:table-column-properties style:column-width="9.2cm"/></style:style>
 <style:style style:name="Money.C" style:family="table-column"><style:table-column-properties style:column-width="3.5cm"/></style:style>
 <style:style style:name="Box" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000"/></style:style>
 <style:style style:name="Head" style:family="table-cell"><style:table-cell-properties fo:padding="0.1cm" fo:border="0.5pt solid #000000" fo:background-color="#e0e0e0"/></style:style>
</office:automatic-styles>
<office:master-styles><style:master-page style:name="Standard" style:page-layout-name="pm1"/></office:master-styles>
<office:body><office:text>
"##;

const TAIL: &str = "</office:text></office:body></office:document>\n";

fn cell(out: &mut String, style: &str, para: &str, text: &str) {
    let _ = write!(
        out,
        r#"<table:table-cell table:style-name="{style}" office:value-type="string"><text:p text:style-name="{para}">{}</text:p></table:table-cell>"#,
        esc(text)
    );
}

fn para(out: &mut String, style: &str, text: &str) {
    let _ = writeln!(out, r#"<text:p text:style-name="{style}">{}</text:p>"#, esc(text));
}

fn notice(out: &mut String, batch: &NoticeBatch, n: &Notice, first: bool) {
    let refund = n.total.is_negative();
    let kind = if refund { "退费通知单" } else { "缴费通知单" };
    let number = n.issue.as_ref().map(|i| i.number.as_str()).unwrap_or("（打印时编号）");
    para(out, if first { "Num" } else { "NumBreak" }, &format!("编号：{number}"));
    if !batch.settings.header_text.is_empty() {
        para(out, "Header", &super::typeset(&batch.settings.header_text));
    }
    para(out, "Title", &format!("{}{}", batch.school.name, kind));
    out.push_str(r#"<table:table table:name="I" table:style-name="Info"><table:table-column table:style-name="Info.A"/><table:table-column table:style-name="Info.B"/><table:table-column table:style-name="Info.C"/><table:table-column table:style-name="Info.D"/><table:table-row>"#);
    let (period_label, period) = match n.left_on {
        Some(left) => ("已离园", left.format("%Y-%m-%d").to_string()),
        None => ("缴费期", batch.billing_month.label()),
    };
    for (label, value) in [
        ("姓名", n.child.as_str()),
        ("班级", n.class.as_str()),
        ("学号", n.student_no.as_str()),
        (period_label, &period),
    ] {
        cell(out, "Box", "Cell", &format!("{label}：{value}"));
    }
    out.push_str("</table:table-row></table:table>\n");
    out.push_str(r#"<table:table table:name="M" table:style-name="Money"><table:table-column table:style-name="Money.A"/><table:table-column table:style-name="Money.B"/><table:table-column table:style-name="Money.C"/><table:table-row>"#);
    cell(out, "Head", "Cell", "项目");
    cell(out, "Head", "Cell", "计算方式");
    cell(out, "Head", "CellR", "金额（元）");
    out.push_str("</table:table-row>");
    for r in &n.rows {
        out.push_str("<table:table-row>");
        cell(out, "Box", "Cell", &super::typeset(&r.item));
        cell(out, "Box", "Cell", &super::typeset(&r.basis));
        cell(out, "Box", "CellR", &r.amount.to_grouped_string());
        out.push_str("</table:table-row>");
    }
    out.push_str("<table:table-row>");
    cell(out, "Head", "Cell", if refund { "合计（应退）" } else { "合计（应缴）" });
    cell(out, "Head", "Cell", "");
    cell(out, "Head", "CellR", &n.total.abs().to_grouped_string());
    out.push_str("</table:table-row></table:table>\n");
    let verb = if refund { "本期应退金额" } else { "本期应缴金额" };
    para(
        out,
        "Bold",
        &format!("{verb}：¥{}    人民币（大写）：{}", n.total.abs().to_grouped_string(), n.total.abs().to_capital()),
    );
    if !n.explanations.is_empty() {
        para(out, "Small", "说明：");
        for (i, e) in n.explanations.iter().enumerate() {
            para(out, "Small", &format!("{}. {}", i + 1, super::typeset(e)));
        }
    }
    let deadline = batch
        .settings
        .deadline_day
        .and_then(|d| chrono::NaiveDate::from_ymd_opt(batch.billing_month.year(), batch.billing_month.month(), d))
        .filter(|_| !refund && n.total.as_i64() != 0)
        .map(|d| d.format("请于 %Y年%-m月%-d日 前缴清。").to_string())
        .unwrap_or_default();
    let pay =
        if refund { batch.settings.refund_text.clone() } else { format!("{deadline}{}", batch.settings.payment_text) };
    para(out, "Small", &super::typeset(&format!("{}{pay}", if refund { "退费：" } else { "缴费：" })));
    let date = n.issue.as_ref().map(|i| i.issued_on.format("%Y年%m月%d日").to_string()).unwrap_or_default();
    para(
        out,
        "Sign",
        &format!(
            "会计：{} ____________    园长：{} ____________    开具日期：{date}",
            batch.school.bursar_name, batch.school.head_name
        ),
    );
}

/// The batch as one flat OpenDocument text, one notice per page.
pub fn notices_fodt(batch: &NoticeBatch) -> String {
    let mut out = String::with_capacity(4096 * (batch.notices.len() + 1));
    out.push_str(HEAD);
    for (i, n) in batch.notices.iter().enumerate() {
        notice(&mut out, batch, n, i == 0);
    }
    out.push_str(TAIL);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(esc("A&B <c> \"d\""), "A&amp;B &lt;c&gt; &quot;d&quot;");
    }
}
