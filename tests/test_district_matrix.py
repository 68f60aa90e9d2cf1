"""The task × district matrix is made once per generation, taxonomy and year."""

from __future__ import annotations

from pathlib import Path

from indexer.compare.districts import _district_matrix, district_matrix
from indexer.compare.taskview import _tasks

TASKS = Path(__file__).parent.parent / "indexer" / "data" / "tasks.toml"


def test_matrix_is_kept_per_taxonomy_and_year(seed_index, tmp_path):
    whole = district_matrix(seed_index)
    assert district_matrix(seed_index) is whole  # kept, not counted again
    assert whole == _district_matrix(seed_index, _tasks(seed_index, None), None)
    in_2022 = district_matrix(seed_index, year=2022)
    assert in_2022 is not whole
    assert in_2022 == _district_matrix(seed_index, _tasks(seed_index, None), 2022)
    assert sum(n for _, n in in_2022.districts) < sum(n for _, n in whole.districts)
    other = tmp_path / "tasks.toml"
    text = TASKS.read_text(encoding="utf-8")
    other.write_text(text.replace('label = "', 'label = "改 ', 1), encoding="utf-8")
    changed = district_matrix(seed_index, tasks_path=other)
    assert changed is not whole
    assert [t.label for t in changed.tasks][0].startswith("改 ")
