## A photo is filed with its file id, unique id, size and caption; a photo over the limit is
## refused with a message saying the limit; documents, voice, video and stickers get a clear
## "not supported yet", never silence; an edit before the click files the latest text.
. "$M2G_SRC/tests/cli/common.sh"
. "$M2G_SRC/tests/cli/m2g-route/helpers.inc"
updates > in.jsonl <<'SPEC'
x 1 42 10 {"photo":{"file_id":"FID","file_unique_id":"UQ","width":1280,"height":960,"file_size":204800}} sunset
c 2 42 cb-1 f:note:10 500
x 3 42 11 {"photo":{"file_id":"BIG","file_unique_id":"UQ2","width":9000,"height":9000,"file_size":26214400}}
x 4 42 12 {"document":{"file_id":"D","file_unique_id":"D1","file_name":"a.pdf"}}
x 5 42 13 {"voice":{"file_id":"V","file_unique_id":"V1"}}
x 6 42 14 {"video":{"file_id":"W","file_unique_id":"W1"}}
x 7 42 15 {"sticker":{"file_id":"S","file_unique_id":"S1"}}
m 8 42 16 first draft
x 9 42 16 {"type":"edited_message"} final text
c 10 42 cb-2 f:idea:16 501
SPEC
m2g-route --allowed-chats 42 --db r.db < in.jsonl > out.jsonl
job_field out.jsonl photo | sed -n 1p | grep -F '"file_id": "FID"' > /dev/null || fail "photo job: $(job_field out.jsonl photo)"
job_field out.jsonl photo | sed -n 1p | grep -F '"file_size": 204800' > /dev/null || fail "photo size missing"
job_field out.jsonl photo | sed -n 1p | grep -F '"caption": "sunset"' > /dev/null || fail "caption missing"
texts out.jsonl > texts.txt
grep -q 'This photo is 25.0 MB; this chat accepts photos up to 20.0 MB' texts.txt || fail "limit not said: $(cat texts.txt)"
[ "$(grep -c 'not supported yet' texts.txt)" = 4 ] || fail "media not answered: $(cat texts.txt)"
job_field out.jsonl text | tail -1 | grep -x '"final text"' > /dev/null || fail "the edit was not filed"
[ "$(count_kind out.jsonl job)" = 2 ] || fail "expected 2 jobs"
