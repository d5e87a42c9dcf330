//! The generator of `ui/types/generated.d.ts`, the UI's view of the Rust side:
//! every type a command takes or returns (from their `#[derive(TS)]`, ts-rs),
//! and a `Commands` map from each command in `main.rs`'s handler list to its
//! arguments and result, read from the command functions' signatures here so
//! that nobody copies 160 of them by hand.
//!
//! Run (it is a test only so that it can see this binary crate's types):
//! `cargo test -p houqin-app --features ts ts_types`. It writes the file, or
//! the path in `HOUQIN_TS_OUT` (how `scripts/check-types.sh` spots a stale one);
//! with `HOUQIN_TS_SAMPLES=dir` also `dir/samples.ts`, real answers to check.

use std::any::TypeId;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ts_rs::{Config, TypeVisitor, TS};

/// The command that writes the file, named in its header.
const COMMAND: &str = "cargo test -p houqin-app --features ts ts_types";

/// The types named in command signatures, by the path the command files'
/// `use` lines give them. A command using a type missing here fails the
/// generator with its name.
macro_rules! roots {
    ($($t:ty),* $(,)?) => {
        fn visit_roots(d: &mut Decls) -> BTreeMap<String, String> {
            let mut names = BTreeMap::new();
            $(
                d.visit::<$t>();
                names.insert(stringify!($t).replace(' ', ""), <$t as TS>::name(&d.cfg));
            )*
            names
        }
    };
}

roots![
    houqin::error::ErrorView,
    crate::commands::app::AppStatus,
    crate::commands::app::Overview,
    crate::commands::assets::AssetList,
    crate::commands::assets::SettingsView,
    crate::commands::repairs::RepairsView,
    crate::commands::repairs::TradeChoice,
    crate::commands::attendance::AttendanceGrid,
    crate::commands::attendance::GridEdit,
    crate::commands::session::ConnectionInfo,
    crate::commands::session::ServerCheck,
    crate::commands::session::SessionView,
    crate::commands::session::UsersView,
    crate::commands::settlement::RuleVersions,
    crate::commands::settlement::Trial,
    houqin::assets::AssetCard,
    houqin::assets::AssetId,
    houqin::assets::CategoryId,
    houqin::assets::DisposalId,
    houqin::assets::LineId,
    houqin::assets::Overview,
    houqin::assets::StocktakeId,
    houqin::assets::Vocabulary,
    houqin::assets::categories::Category,
    houqin::assets::categories::CategoryInput,
    houqin::assets::depreciation::MonthlyReport,
    houqin::assets::io::ImportSummary,
    houqin::assets::movements::Disposal,
    houqin::assets::movements::DisposalRequest,
    houqin::assets::movements::HandoverInput,
    houqin::assets::movements::Transfer,
    houqin::assets::movements::TransferInput,
    houqin::assets::reconcile::Reconciliation,
    houqin::assets::register::AssetFilter,
    houqin::assets::register::AssetInput,
    houqin::assets::register::RoomInfo,
    houqin::assets::register::Suggestions,
    houqin::assets::settings::SettingsForm,
    houqin::assets::stocktake::Adjustment,
    houqin::assets::stocktake::LineUpdate,
    houqin::assets::stocktake::LineView,
    houqin::assets::stocktake::NotChecked,
    houqin::assets::stocktake::OtherRoomChoice,
    houqin::assets::stocktake::ScanResult,
    houqin::assets::stocktake::StocktakeInput,
    houqin::assets::stocktake::StocktakeReport,
    houqin::assets::stocktake::StocktakeSummary,
    houqin::assets::stocktake::SurplusInput,
    houqin::attendance::absences::AbsenceChange,
    houqin::audit_log::LogChoices,
    houqin::audit_log::LogPage,
    houqin::auth::Role,
    houqin::backup::BackupInfo,
    houqin::backup::BackupStatus,
    houqin::backup::Restored,
    houqin::calendar::Closure,
    houqin::calendar::HolidayEntry,
    houqin::calendar::MonthCalendar,
    houqin::check::CheckReport,
    houqin::connection::ServerForm,
    houqin::dates::YearMonth,
    houqin::db::audit::AuditFilter,
    houqin::demo::DemoSummary,
    houqin::import::absences::AbsenceImportSummary,
    houqin::import::children::ImportSummary,
    houqin::kitchen::Meal,
    houqin::kitchen::checks::Flag,
    houqin::kitchen::logs::DailyLogs,
    houqin::kitchen::logs::DisinfectionInput,
    houqin::kitchen::logs::FridgeReadingInput,
    houqin::kitchen::logs::HealthCheckInput,
    houqin::kitchen::logs::LogKind,
    houqin::kitchen::samples::CopySummary,
    houqin::kitchen::samples::DiscardInput,
    houqin::kitchen::samples::FridgeContents,
    houqin::kitchen::samples::KitchenDay,
    houqin::kitchen::samples::MealEntry,
    houqin::kitchen::samples::MealSaved,
    houqin::kitchen::samples::MissingReport,
    houqin::kitchen::settings::SettingsForm,
    houqin::meal_account::MealSettings,
    houqin::meal_account::MealSheet,
    houqin::meal_account::Purchase,
    houqin::meal_account::PurchaseId,
    houqin::meal_account::PurchaseInput,
    houqin::meal_account::Reminder,
    houqin::meal_account::StoreMonth,
    houqin::meal_account::store::CountInput,
    houqin::notices::NoticePlan,
    houqin::notices::NoticeScope,
    houqin::notices::NoticeSettings,
    houqin::notices::PrintSummary,
    houqin::notices::statement::StatementSummary,
    houqin::payments::Balance,
    houqin::payments::Payment,
    houqin::payments::PaymentFilter,
    houqin::payments::PaymentInput,
    houqin::payments::ReverseInput,
    houqin::payments::receipt::ReceiptPrint,
    houqin::fee_list::FeeListSettings,
    houqin::refund::FeeItem,
    houqin::repairs::CloseInput,
    houqin::repairs::Repair,
    houqin::repairs::RepairId,
    houqin::repairs::RepairInput,
    houqin::repairs::settings::RepairSettings,
    houqin::school::ChildId,
    houqin::school::ClassId,
    houqin::school::StaffId,
    houqin::school::calendar::ImportedYear,
    houqin::school::calendar::StoredClosure,
    houqin::school::children::Child,
    houqin::school::children::ChildDetails,
    houqin::school::children::ChildFilter,
    houqin::school::children::NewChild,
    houqin::school::children::Placement,
    houqin::school::classes::ClassInfo,
    houqin::school::classes::ClassInput,
    houqin::school::profile::SchoolProfile,
    houqin::school::staff::Staff,
    houqin::school::staff::StaffInput,
    houqin::settlement::SettlementView,
    houqin::settlement::presets::Preset,
    houqin::settlement::rules::RuleVersion,
    houqin::supplies::DepositId,
    houqin::supplies::StockDocId,
    houqin::supplies::SupplyItemId,
    houqin::supplies::deposits::CloseInput,
    houqin::supplies::deposits::Deposit,
    houqin::supplies::deposits::DepositFilter,
    houqin::supplies::deposits::DepositList,
    houqin::supplies::deposits::LendInput,
    houqin::supplies::item_import::ItemImportSummary,
    houqin::supplies::items::ItemFilter,
    houqin::supplies::items::ItemInput,
    houqin::supplies::items::SupplyItem,
    houqin::supplies::reports::BalanceFilter,
    houqin::supplies::reports::BalanceReport,
    houqin::supplies::reports::UsageReport,
    houqin::supplies::settings::SuppliesOptions,
    houqin::supplies::stock::DocFilter,
    houqin::supplies::stock::DocSummary,
    houqin::supplies::stock::IssueInput,
    houqin::supplies::stock::JournalFilter,
    houqin::supplies::stock::JournalLine,
    houqin::supplies::stock::ReceiptInput,
    houqin::supplies::stock::ReversalInput,
    houqin::supplies::stock::SavedDoc,
    houqin::supplies::stock::StockDoc,
    houqin::supplies::stocktake::SheetLine,
    houqin::supplies::stocktake::StocktakeInput,
    houqin::waivers::Waiver,
    houqin::waivers::WaiverFilter,
    houqin::waivers::WaiverInput,
    houqin::waivers::kinds::WaiverKind,
    houqin::waivers::roster::Roster,
    serde_json::Value,
];

/// Every declaration reachable from the roots, by TypeScript name.
struct Decls {
    cfg: Config,
    by_name: BTreeMap<String, (TypeId, &'static str, String)>,
}

impl TypeVisitor for Decls {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        // Primitives, Option, Vec…: nothing to declare (ts-rs visits what they
        // hold on its own, as the derived type's generics).
        if T::output_path().is_none() {
            return;
        }
        let name = T::ident(&self.cfg);
        let id = TypeId::of::<T::WithoutGenerics>();
        if let Some((seen, rust, _)) = self.by_name.get(&name) {
            assert!(
                *seen == id,
                "two Rust types are both `{name}` in TypeScript ({rust} and {}): give one a #[ts(rename = \"…\")]",
                std::any::type_name::<T>()
            );
            return;
        }
        let mut text = T::docs().unwrap_or_default();
        text.push_str("export ");
        text.push_str(&T::WithoutGenerics::decl(&self.cfg));
        self.by_name.insert(name, (id, std::any::type_name::<T>(), text));
        T::visit_dependencies(self);
    }
}

/// One command as the UI invokes it.
struct Command {
    name: String,
    /// (key in the JSON the UI sends, TypeScript type, may be left out)
    args: Vec<(String, String, bool)>,
    result: String,
}

/// Arguments Tauri fills in itself: the UI never sends them.
const INJECTED: [&str; 5] = ["State", "AppHandle", "Window", "WebviewWindow", "Webview"];

/// Resolves the names a command file uses to the paths the roots are listed by.
struct Scope {
    module: String,
    uses: BTreeMap<String, String>,
}

impl Scope {
    fn of(module: &str, file: &syn::File) -> Scope {
        let mut uses = BTreeMap::new();
        for item in &file.items {
            match item {
                syn::Item::Use(u) => collect_use(&u.tree, String::new(), &mut uses),
                syn::Item::Struct(s) => {
                    uses.insert(s.ident.to_string(), format!("crate::commands::{module}::{}", s.ident));
                }
                syn::Item::Enum(e) => {
                    uses.insert(e.ident.to_string(), format!("crate::commands::{module}::{}", e.ident));
                }
                _ => {}
            }
        }
        Scope { module: module.to_string(), uses }
    }

    fn resolve(&self, path: &syn::Path) -> String {
        let segs: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        match self.uses.get(&segs[0]) {
            Some(full) => std::iter::once(full.clone()).chain(segs[1..].iter().cloned()).collect::<Vec<_>>().join("::"),
            None => segs.join("::"),
        }
    }
}

fn collect_use(tree: &syn::UseTree, prefix: String, out: &mut BTreeMap<String, String>) {
    let join = |s: &str| if prefix.is_empty() { s.to_string() } else { format!("{prefix}::{s}") };
    match tree {
        syn::UseTree::Path(p) => collect_use(&p.tree, join(&p.ident.to_string()), out),
        syn::UseTree::Name(n) if n.ident == "self" => {
            let last = prefix.rsplit("::").next().unwrap_or_default().to_string();
            out.insert(last, prefix.clone());
        }
        syn::UseTree::Name(n) => {
            out.insert(n.ident.to_string(), join(&n.ident.to_string()));
        }
        syn::UseTree::Rename(r) => {
            out.insert(r.rename.to_string(), join(&r.ident.to_string()));
        }
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| collect_use(t, prefix.clone(), out)),
        syn::UseTree::Glob(_) => {}
    }
}

/// A Rust type in a signature, in TypeScript. `roots` maps a resolved path to
/// its TypeScript name.
fn ts_type(ty: &syn::Type, scope: &Scope, roots: &BTreeMap<String, String>) -> String {
    let generic = |seg: &syn::PathSegment, i: usize| -> String {
        let syn::PathArguments::AngleBracketed(a) = &seg.arguments else { panic!("{} without its type", seg.ident) };
        let tys: Vec<&syn::Type> =
            a.args.iter().filter_map(|g| if let syn::GenericArgument::Type(t) = g { Some(t) } else { None }).collect();
        ts_type(tys[i], scope, roots)
    };
    match ty {
        syn::Type::Reference(r) => ts_type(&r.elem, scope, roots),
        syn::Type::Tuple(t) if t.elems.is_empty() => "null".to_string(),
        syn::Type::Path(p) => {
            let seg = p.path.segments.last().expect("a path has a segment");
            match seg.ident.to_string().as_str() {
                "String" | "str" | "PathBuf" | "NaiveDate" => "string".to_string(),
                "bool" => "boolean".to_string(),
                "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "usize" | "isize" | "f32" | "f64" => {
                    "number".to_string()
                }
                "Option" => format!("{} | null", generic(seg, 0)),
                "Vec" => {
                    let inner = generic(seg, 0);
                    if inner.contains(' ') {
                        format!("({inner})[]")
                    } else {
                        format!("{inner}[]")
                    }
                }
                "Result" => generic(seg, 0),
                _ => {
                    let path = scope.resolve(&p.path);
                    roots.get(&path).cloned().unwrap_or_else(|| {
                        panic!("command file {}.rs uses `{path}`: add it to roots![…] in ts_types.rs", scope.module)
                    })
                }
            }
        }
        other => panic!("a command signature type the generator does not know: {}", quote_type(other)),
    }
}

fn quote_type(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p.path.segments.iter().map(|s| s.ident.to_string()).collect::<Vec<_>>().join("::"),
        _ => "(not a path)".to_string(),
    }
}

/// `effective_from` → `effectiveFrom`: Tauri's default for argument keys.
fn camel(name: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in name.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.extend(c.to_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The command's own attribute: `#[tauri::command(rename_all = "snake_case")]` keeps the keys as written.
fn snake_keys(f: &syn::ItemFn) -> Option<bool> {
    let attr = f.attrs.iter().find(|a| {
        let segs: Vec<String> = a.path().segments.iter().map(|s| s.ident.to_string()).collect();
        segs == ["tauri", "command"]
    })?;
    let tokens = match &attr.meta {
        syn::Meta::List(l) => l.tokens.to_string(),
        _ => String::new(),
    };
    Some(tokens.replace(' ', "").contains("rename_all=\"snake_case\""))
}

fn command(name: &str, f: &syn::ItemFn, scope: &Scope, roots: &BTreeMap<String, String>) -> Command {
    let snake = snake_keys(f).unwrap_or_else(|| panic!("{name} is in the handler list but not a #[tauri::command]"));
    let mut args = Vec::new();
    for input in &f.sig.inputs {
        let syn::FnArg::Typed(pt) = input else { continue };
        if let syn::Type::Path(p) = &*pt.ty {
            let last = p.path.segments.last().map(|s| s.ident.to_string()).unwrap_or_default();
            if INJECTED.contains(&last.as_str()) {
                continue;
            }
        }
        let syn::Pat::Ident(id) = &*pt.pat else { panic!("{name}: an argument that is not a plain name") };
        let raw = id.ident.to_string();
        let key = if snake { raw } else { camel(&raw) };
        let ty = ts_type(&pt.ty, scope, roots);
        // Tauri reads a missing key as None.
        let optional = ty.ends_with(" | null");
        args.push((key, ty, optional));
    }
    let result = match &f.sig.output {
        syn::ReturnType::Default => "null".to_string(),
        syn::ReturnType::Type(_, ty) => ts_type(ty, scope, roots),
    };
    Command { name: name.to_string(), args, result }
}

/// `module::command` pairs from `generate_handler![…]` in main.rs.
fn handler_list(main: &str) -> Vec<(String, String)> {
    let start = main.find("generate_handler![").expect("main.rs has generate_handler![");
    let body = &main[start + "generate_handler![".len()..];
    let body = &body[..body.find(']').expect("the handler list ends")];
    body.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let (m, c) = s.rsplit_once("::").unwrap_or_else(|| panic!("`{s}` is not module::command"));
            (m.to_string(), c.to_string())
        })
        .collect()
}

fn commands(dir: &Path, roots: &BTreeMap<String, String>) -> Vec<Command> {
    let main = std::fs::read_to_string(dir.join("src/main.rs")).expect("main.rs");
    let mut files: BTreeMap<String, (syn::File, Scope)> = BTreeMap::new();
    let mut out = Vec::new();
    for (module, name) in handler_list(&main) {
        let (file, scope) = files.entry(module.clone()).or_insert_with(|| {
            let path = dir.join("src/commands").join(format!("{module}.rs"));
            let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let file = syn::parse_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let scope = Scope::of(&module, &file);
            (file, scope)
        });
        let f = file
            .items
            .iter()
            .find_map(|i| match i {
                syn::Item::Fn(f) if f.sig.ident == name => Some(f),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no fn {name} in commands/{module}.rs"));
        out.push(command(&name, f, scope, roots));
    }
    out
}

fn render(decls: &Decls, commands: &[Command]) -> String {
    let mut out = format!(
        "// GENERATED by `{COMMAND}`\n\
         // from the Rust types (ts-rs) and the command list in src-tauri/src/main.rs.\n\
         // Do not edit: change the Rust side and run it again.\n\
         // scripts/check-types.sh fails when this file is stale.\n\n"
    );
    for (_, _, text) in decls.by_name.values() {
        out.push_str(text.trim_end());
        out.push_str("\n\n");
    }
    out.push_str("/** Every command the shell answers: the arguments the UI sends (keys as Tauri reads them) and what it returns. */\n");
    out.push_str("export interface Commands {\n");
    for c in commands {
        let args = if c.args.is_empty() {
            "Record<string, never>".to_string()
        } else {
            let fields: Vec<String> =
                c.args.iter().map(|(k, t, opt)| format!("{k}{}: {t}", if *opt { "?" } else { "" })).collect();
            format!("{{ {} }}", fields.join("; "))
        };
        out.push_str(&format!("  {}: {{ args: {args}; result: {} }};\n", c.name, c.result));
    }
    out.push_str("}\n");
    out
}

#[test]
fn ts_types() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut decls = Decls { cfg: Config::new().with_large_int("number"), by_name: BTreeMap::new() };
    let roots = visit_roots(&mut decls);
    let commands = commands(&dir, &roots);
    let text = render(&decls, &commands);
    let out = match std::env::var_os("HOUQIN_TS_OUT") {
        Some(p) => PathBuf::from(p),
        None => dir.join("../ui/types/generated.d.ts"),
    };
    houqin::output_file::write_bytes_atomic(&out, text.as_bytes()).expect("write the declarations");
    if let Some(dir) = std::env::var_os("HOUQIN_TS_SAMPLES") {
        let samples = samples().expect("the demo school's answers");
        houqin::output_file::write_bytes_atomic(&PathBuf::from(dir).join("samples.ts"), samples.as_bytes())
            .expect("write the samples");
    }
}

/// What some commands really answer for the demo school, as TypeScript that
/// claims each is its command's declared result: tsc then checks the
/// declarations against serde's JSON, not against ts-rs's reading of the
/// serde attributes (scripts/check-types.sh writes and checks it).
fn samples() -> houqin::Result<String> {
    use houqin::dates::{self, YearMonth};
    use serde_json::json;
    fn read<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
        serde_json::from_value(v).expect("the form's JSON reads")
    }
    let today = dates::today();
    let mut db = houqin::db::Db::open_scratch()?;
    houqin::demo::load(&mut db, today)?;
    let conn = db.conn();
    let month = YearMonth::of(today).prev();
    let closed = *houqin::notices::settled_months(conn)?.first().expect("the demo has a closed month");
    let value = |v: &dyn erased::Json| v.json();
    let answers: Vec<(&str, serde_json::Value)> = vec![
        ("home_overview", value(&crate::commands::app::overview(&db, today)?)),
        ("settlement_preview", value(&houqin::settlement::preview(conn, month)?)),
        ("fee_rules_for", value(&houqin::settlement::rules::rules_for(conn, month)?)),
        ("fee_presets", value(&houqin::settlement::presets::presets()?)),
        ("children_list", value(&houqin::school::children::list(conn, &read(json!({})))?)),
        ("payments_list", value(&houqin::payments::list(conn, &read(json!({})))?)),
        ("notices_plan", value(&houqin::notices::plan(conn, closed, read(json!({"kind": "school"})))?)),
        ("meal_sheet", value(&houqin::meal_account::sheet_for(conn, month)?)),
        ("stock_balance", value(&houqin::supplies::reports::balance(conn, &read(json!({})))?)),
        ("assets_overview", value(&houqin::assets::overview(conn, today)?)),
        ("stocktakes_list", value(&houqin::assets::stocktake::list(conn)?)),
    ];
    let mut out = String::from("import type { Commands } from \"./generated\";\n\n");
    for (command, json) in answers {
        out.push_str(&format!("export const {command}: Commands[\"{command}\"][\"result\"] = {json};\n\n"));
    }
    Ok(out)
}

/// Serialises any sample without naming its type at each call.
mod erased {
    pub trait Json {
        fn json(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> serde_json::Value {
            serde_json::to_value(self).expect("serialises")
        }
    }
}

#[test]
fn argument_keys_are_read_as_tauri_reads_them() {
    assert_eq!(camel("effective_from"), "effectiveFrom");
    assert_eq!(camel("month"), "month");
    let parse = |s: &str| syn::parse_str::<syn::ItemFn>(s).expect("a fn");
    let snake = parse("#[tauri::command(rename_all = \"snake_case\")] pub async fn x(child_id: i64) {}");
    assert_eq!(snake_keys(&snake), Some(true));
    let plain = parse("#[tauri::command] pub async fn x(child_id: i64) {}");
    assert_eq!(snake_keys(&plain), Some(false));
    assert_eq!(snake_keys(&parse("pub fn helper() {}")), None);
}

#[test]
fn the_handler_list_is_read_in_order() {
    let main = "tauri::generate_handler![\n a::one,\n b::two_words,\n ]";
    assert_eq!(
        handler_list(main),
        vec![("a".to_string(), "one".to_string()), ("b".to_string(), "two_words".to_string())]
    );
}
