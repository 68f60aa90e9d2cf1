"""The tuned segment flush writes the same index as Whoosh's own."""

from pathlib import Path

from whoosh.writing import SegmentWriter

import indexer.store.whoosh as store_module
from indexer.ingest.read import corpus_files, read_report_text
from indexer.ingest.reports import parse_report
from indexer.store import writer as tuned
from indexer.store.whoosh import WhooshStore

SEEDS = Path(__file__).resolve().parents[1] / "corpus"


def _reports():
    out = []
    for path in corpus_files(SEEDS):
        report = parse_report(read_report_text(path).text, path.name, {})
        report.meta.id = path.stem
        out.append(report)
    return out


def _dump(path):
    with WhooshStore(path) as store:
        reader = store.searcher().reader()
        postings = {
            (f, t): list(reader.postings(f, t).all_ids())
            for f, t in reader.all_terms()
            if f == "text"
        }
        lengths = [
            reader.doc_field_length(d, f) for d in range(reader.doc_count_all()) for f in ("text",)
        ]
        return postings, lengths, reader.min_field_length("text"), reader.max_field_length("text")


def test_tuned_flush_writes_what_whoosh_writes(tmp_path, monkeypatch):
    reports = _reports()
    monkeypatch.setattr(SegmentWriter, "_flush_segment", tuned.WHOOSH_FLUSH)
    with monkeypatch.context() as stock:
        stock.setattr(store_module, "tune_whoosh", lambda: None)
        with WhooshStore(tmp_path / "stock", create=True) as store:
            store.replace_reports(reports, [])
        assert SegmentWriter._flush_segment is not tuned._flush_segment
    with WhooshStore(tmp_path / "tuned", create=True) as store:
        store.replace_reports(reports, [])
    assert SegmentWriter._flush_segment is tuned._flush_segment
    expected, got = _dump(tmp_path / "stock"), _dump(tmp_path / "tuned")
    assert len(expected[0]) > 1000 and any(expected[1])
    assert got == expected
