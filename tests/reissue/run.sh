#!/bin/sh
# Re-issue tests: the sample brief quotes its figures through references
# ({…}), so a new month's data changes every number that depends on it —
# in the text, in the chart labels and in the notes — with one command:
#   brief render data/cangzhou-2020.json --data key_projects=NEW.csv
#         --data signed=NEW.json --var month=12 -o OUT.pdf
# Each case renders (or checks) and reads the PDF back with pdftotext.
# Also: a GB18030 CSV (what Excel writes on a Chinese Windows) read
# correctly, and the errors of --data and --var.  Ends with
# "N passed, M failed".
set -u
BUILD=${BUILD:-build}
BRIEF=${BRIEF:-$BUILD/brief}
here=$(dirname "$0")
sample=data/cangzhou-2020.json
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok()  { pass=$((pass + 1)); echo "ok   $*"; }
bad() { fail=$((fail + 1)); echo "FAIL $*"; }

[ -x "$BRIEF" ] || { echo "no $BRIEF (run make first)"; echo "0 passed, 1 failed"; exit 1; }

# text_of PDF: the PDF's text without spaces or line breaks (the layout
# puts a gap between Chinese and Latin and breaks lines anywhere).
text_of() { pdftotext "$1" - | tr -d ' \n'; }

# has NAME FILE STRING...: every STRING occurs in FILE.
has() {
    name=$1 file=$2
    shift 2
    for s in "$@"; do
        if ! grep -qF -- "$s" "$file"; then
            bad "$name: \"$s\" not in the output"
            return
        fi
    done
    ok "$name"
}

# lacks NAME FILE STRING...: no STRING occurs in FILE.
lacks() {
    name=$1 file=$2
    shift 2
    for s in "$@"; do
        if grep -qF -- "$s" "$file"; then
            bad "$name: \"$s\" still in the output"
            return
        fi
    done
    ok "$name"
}

# ---- the sample as it is ----------------------------------------------
if "$BRIEF" render -q "$sample" -o "$tmp/nov.pdf"; then
    text_of "$tmp/nov.pdf" >"$tmp/nov.txt"
    has "November: text" "$tmp/nov.txt" "累计完成投资9.89亿元，相当于年度计划的116.35%" \
        "新签约项目67个、协议投资111.1亿元" "占签约总额的87.8%" "2020年11月" "获批536万元"
    has "November: table" "$tmp/nov.txt" "8.509.89116.351010.7910.7399.441519.2920.62"
    has "November: key figures" "$tmp/nov.txt" "超计划▲16.35个百分点距计划▼0.56个百分点67个9.89亿元111.1亿元10.73亿元"
    has "November: charts" "$tmp/nov.txt" "9.89亿元·116.35%" "97.6亿元" "合计67个、111.1亿元"
else
    bad "November: the sample renders"
fi

# ---- December: new figures by --data and --var --------------------------
if "$BRIEF" render -q "$sample" --data key_projects="$here/key_projects-2020-12.csv" \
        --data signed="$here/signed-2020-12.json" --var month=12 -o "$tmp/dec.pdf"; then
    text_of "$tmp/dec.pdf" >"$tmp/dec.txt"
    # 11.02 / 8.50 = 129.65 %; 11.35 / 10.79 = 105.19 %; 16 + 58 = 74;
    # 104.3 + 15.2 = 119.5; 104.3 / 119.5 = 87.3 %.
    has "December: text follows the data" "$tmp/dec.txt" \
        "累计完成投资11.02亿元，相当于年度计划的129.65%" "累计完成11.35亿元，年度计划完成率达105.19%" \
        "新签约项目74个、协议投资119.5亿元" "项目16个，合计104.3亿元" "占签约总额的87.3%" \
        "其余58个项目合计约15.2亿元"
    has "December: charts follow the data" "$tmp/dec.txt" "11.02亿元·129.65%" "11.35亿元·105.19%" \
        "104.3亿元" "15.2亿元"
    # The table: plan, done and rate of both rows, then the total row
    # (8.50 + 10.79 = 19.29; 11.02 + 11.35 = 22.37).
    has "December: table follows the data" "$tmp/dec.txt" "8.5011.02129.651010.7911.35105.191519.2922.37"
    has "December: key figures follow the data" "$tmp/dec.txt" "超计划▲29.65个百分点距计划▲5.19个百分点74个11.02亿元119.5亿元11.35亿元"
    has "December: notes follow the data" "$tmp/dec.txt" "合计74个、119.5亿元" "11.02亿元÷129.65%"
    has "December: --var month=12" "$tmp/dec.txt" "2020年12月"
    lacks "December: no November figure left" "$tmp/dec.txt" "9.89" "116.35" "111.1" "97.6" \
        "13.5亿元" "研究组2020年11月"
else
    bad "December: the re-issue renders"
fi

# ---- GB18030, as Excel saves CSV on a Chinese Windows --------------------
iconv -f UTF-8 -t GB18030 "$here/key_projects-2020-12.csv" >"$tmp/gb.csv"
if cmp -s "$tmp/gb.csv" "$here/key_projects-2020-12.csv"; then
    bad "GB18030: iconv wrote the file unchanged"
elif "$BRIEF" render -q "$sample" --data key_projects="$tmp/gb.csv" -o "$tmp/gb.pdf"; then
    text_of "$tmp/gb.pdf" >"$tmp/gb.txt"
    # The rows are found by their Chinese names: the decoding was right.
    has "GB18030 CSV read correctly" "$tmp/gb.txt" "省重点项目（截至9月）" \
        "累计完成投资11.02亿元，相当于年度计划的129.65%"
else
    bad "GB18030 CSV: the brief renders"
fi

# ---- batch and check take the same options --------------------------------
mkdir -p "$tmp/batch"
cp "$sample" "$tmp/batch/a.json"
cp "$sample" "$tmp/batch/b.json"
if "$BRIEF" render -q -d "$tmp/out" --data key_projects="$here/key_projects-2020-12.csv" \
        "$tmp/batch/a.json" "$tmp/batch/b.json" && [ -s "$tmp/out/a.pdf" ] && [ -s "$tmp/out/b.pdf" ]; then
    text_of "$tmp/out/b.pdf" >"$tmp/b.txt"
    has "-d batch with --data" "$tmp/b.txt" "累计完成投资11.02亿元"
else
    bad "-d batch with --data renders"
fi

# ---- a brief whose dataset is a CSV file beside it, or under --allow-path --
mkdir -p "$tmp/monthly" "$tmp/shared"
printf '指标,绝对值,增速\n工业增加值,"1,234.5",6.2%%\n固定资产投资,980,—\n' >"$tmp/monthly/ind.csv"
cp "$tmp/monthly/ind.csv" "$tmp/shared/ind.csv"
cat >"$tmp/monthly/monthly.json" <<'JSON'
{
  "brief": 1,
  "data": {"ind": {"csv": "ind.csv", "units": {"绝对值": "亿元"}}},
  "vars": {"month": "10"},
  "body": [{"type": "paragraph", "text": "{var.month}月工业增加值{ind.绝对值[工业增加值]}，增长{ind.增速[工业增加值]}，投资{ind.绝对值[固定资产投资]:1}。"}]
}
JSON
sed 's#"ind.csv"#"../shared/ind.csv"#' "$tmp/monthly/monthly.json" >"$tmp/monthly/shared.json"
if "$BRIEF" render -q "$tmp/monthly/monthly.json" -o "$tmp/monthly.pdf"; then
    text_of "$tmp/monthly.pdf" >"$tmp/monthly.txt"
    has "CSV dataset beside the brief" "$tmp/monthly.txt" "10月工业增加值1234.5亿元，增长6.2%，投资980.0亿元。"
else
    bad "CSV dataset beside the brief renders"
fi
if "$BRIEF" render -q "$tmp/monthly/shared.json" --allow-path "$tmp/shared" -o "$tmp/shared.pdf" &&
   ! "$BRIEF" check "$tmp/monthly/shared.json" 2>/dev/null; then
    ok "CSV dataset outside the brief's directory: only with --allow-path"
else
    bad "CSV dataset outside the brief's directory: only with --allow-path"
fi

# ---- numbering: {ref:ID} and numbered titles ----------------------------
cat >"$tmp/numbered.json" <<'JSON'
{
  "brief": 1,
  "style": {"numbering": true},
  "data": {"d": {"columns": ["类别", "值"], "rows": [["甲", 1.5], ["乙", 2]], "units": {"值": "万元"}}},
  "body": [
    {"type": "paragraph", "text": "如{ref:c1}和{ref:t1}所示，甲为{d.值[甲]}，占{share(d.值[甲])}。"},
    {"type": "figure", "caption": "照片"},
    {"type": "chart", "id": "c1", "kind": "bar", "data": "d", "values": ["值"], "title": "两类对比"},
    {"type": "table", "id": "t1", "data": "d", "title": "两类明细"}
  ]
}
JSON
if "$BRIEF" render -q "$tmp/numbered.json" -o "$tmp/numbered.pdf"; then
    text_of "$tmp/numbered.pdf" >"$tmp/numbered.txt"
    has "numbering: references and titles" "$tmp/numbered.txt" "如图2和表1所示，甲为1.5万元，占42.9%。" \
        "图1照片" "图2两类对比" "表1两类明细"
else
    bad "numbering: the brief renders"
fi

# expect NAME STATUS PATTERN -- COMMAND...: exit status and a line of stderr.
expect() {
    name=$1 want=$2 pattern=$3
    shift 4
    "$@" >/dev/null 2>"$tmp/err"
    got=$?
    if [ "$got" != "$want" ]; then
        bad "$name: exit $got, expected $want ($(head -c 300 "$tmp/err"))"
    elif [ -n "$pattern" ] && ! grep -qF -- "$pattern" "$tmp/err"; then
        bad "$name: no \"$pattern\" in: $(head -c 300 "$tmp/err")"
    else
        ok "$name"
    fi
}

expect "check --data a dataset the brief lacks" 64 'the brief has no dataset "key_project" (did you mean "key_projects"?)' -- \
    "$BRIEF" check --data key_project="$here/key_projects-2020-12.csv" "$sample"
expect "check --data without NAME=" 64 "--data x.csv: expected NAME=FILE" -- \
    "$BRIEF" check --data x.csv "$sample"
printf '类别,项目数,年度计划,已完成,占年度计划,较计划\n省重点项目（截至9月）,5,8.50,11.02,129.65,29.65\n市重点项目（截至10月）,10,10.79\n' >"$tmp/short.csv"
expect "check --data a short CSV row" 65 "short.csv:3:" -- \
    "$BRIEF" check --data key_projects="$tmp/short.csv" "$sample"
printf '类别,项目数,计划,已完成,占年度计划,较计划\n省重点项目（截至9月）,5,8.50,11.02,129.65,29.65\n市重点项目（截至10月）,10,10.79,11.35,105.19,5.19\n' >"$tmp/renamed.csv"
expect "check --data a CSV without a column the text names" 65 'unknown column "年度计划" in dataset "key_projects"' -- \
    "$BRIEF" check --data key_projects="$tmp/renamed.csv" "$sample"
expect "check --var replaces a variable" 0 "" -- \
    "$BRIEF" check --var month=12 --var issue=5 "$sample"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
