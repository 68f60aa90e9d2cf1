"""Shared fixtures.  Several test modules (core, compare, web UI) add theirs here."""

from __future__ import annotations

from pathlib import Path

import pytest

CORPUS = Path(__file__).parent.parent / "corpus"


# --- web UI fixtures (tests/test_webui_*.py, tests/test_browser.py) -------------------


@pytest.fixture(scope="session")
def built_index(tmp_path_factory) -> Path:
    """The seed corpus indexed once per session (read-only for every test that uses it)."""
    from indexer.build import build_index

    index_dir = tmp_path_factory.mktemp("webui-index")
    build_index(CORPUS, index_dir)
    return index_dir


@pytest.fixture
def app(built_index):
    from webui import create_app

    return create_app({"TESTING": True, "INDEX_DIR": str(built_index), "CORPUS_DIR": str(CORPUS)})


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def htmx_client(app):
    """A client whose every request carries ``HX-Request: true``, as htmx sends it."""
    client = app.test_client()
    client.environ_base["HTTP_HX_REQUEST"] = "true"
    return client


# --- core fixtures (tests/test_read.py … tests/test_cli.py) -------------------------


@pytest.fixture
def runner():
    from click.testing import CliRunner

    return CliRunner()


@pytest.fixture
def seed_index(built_index):
    """An open Index over the seed corpus; closed after the test."""
    from indexer.query import open_index

    with open_index(built_index) as idx:
        yield idx


# --- SphinxQL cluster (tests/test_sphinx_*.py) ----------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    """A real local searchd cluster (scripts/cluster.sh), one per test module: the fault
    tests kill its nodes, so modules never share one."""
    from sphinx_cluster import LocalCluster, require_searchd

    require_searchd()
    local = LocalCluster(tmp_path_factory.mktemp("cluster"))
    yield local
    local.stop()
