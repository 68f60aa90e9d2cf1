"""The browser tests again, with the web UI served over a cluster-backed index.

Every test of ``test_browser`` is collected here too; only ``built_index`` differs: the
seeds indexed into a real 2×2 searchd cluster started by ``scripts/cluster.sh``.
"""

from __future__ import annotations

import pytest
from conftest import CORPUS
from sphinx_cluster import LocalCluster, require_searchd
from test_browser import *  # noqa: F403  (the same tests, collected over this module's index)


@pytest.fixture(scope="module")
def built_index(tmp_path_factory):
    from indexer.build import build_index

    require_searchd()
    cluster = LocalCluster(tmp_path_factory.mktemp("browser-cluster"))
    try:
        index_dir = tmp_path_factory.mktemp("browser-cluster-index")
        build_index(CORPUS, index_dir, backend=cluster.url)
        yield index_dir
    finally:
        cluster.stop()


def test_index_is_cluster_backed(built_index):
    from indexer.store.backend import read_backend
    from indexer.store.catalog import current_generation

    assert read_backend(current_generation(built_index))["kind"] == "sphinx"
