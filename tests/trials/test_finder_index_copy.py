"""Word searches read the search index's copy of each trial's title, ages, sex and status.

On PostgreSQL a word search is answered from the index alone (search_index.py): these tests
show that the copy follows a reimport, and that counts, order and filters stay those of the
trial table. On SQLite the same tests check the same answers through the trial table.
"""

import pytest

from tests.trials.test_finder import MADRID, listed, site, trial
from tests.trials.test_trials_import import write
from trialfinder.trials import finder

pytestmark = pytest.mark.databases


def imported(runner, tmp_path, name: str, studies: list[dict]) -> None:
    path = write(tmp_path, name, {"studies": studies})
    result = runner.invoke(args=["trials", "import", str(path)])
    assert result.exit_code == 0, result.output


@pytest.fixture(params=["few matches", "many matches"])
def ranking(request, monkeypatch):
    """Rank all matching sites at once, or walk the nearest sites (as with many trials)."""
    monkeypatch.setattr(finder, "FEW", 10**9 if request.param == "few matches" else 0)


def test_a_reimport_changes_what_a_word_search_filters_and_sorts_on(
    app, client, runner, tmp_path, ranking
):
    madrid = [site("Madrid", MADRID)]
    imported(runner, tmp_path, "before.json", [
        trial("NCT00000301", "Koala fever in adults", sites=madrid, minimum="18 Years"),
        trial("NCT00000302", "Another koala study", sites=madrid, minimum="18 Years"),
    ])  # fmt: skip
    assert listed(client, q="koala", age="10") == []
    assert listed(client, q="koala") == ["NCT00000302", "NCT00000301"]
    imported(runner, tmp_path, "after.json", [
        trial("NCT00000301", "A koala fever study in children", sites=madrid, maximum="17 Years"),
        trial("NCT00000302", "Another koala study", sites=madrid, minimum="18 Years",
              status="COMPLETED"),
    ])  # fmt: skip
    assert listed(client, q="koala", age="10") == ["NCT00000301"]
    assert listed(client, q="koala", age="10", near="28001") == ["NCT00000301"]
    assert listed(client, q="koala") == ["NCT00000301", "NCT00000302"]  # the new title first
    assert listed(client, q="koala", status="RECRUITING") == ["NCT00000301"]
    with app.app_context():
        outside = finder.find("koala", age=10, outside=True)
    assert [found.trial.nct_id for found in outside.found] == ["NCT00000302"]
    assert outside.total == 1


def test_trials_of_one_title_are_all_counted_and_cut_to_a_page(app, runner, tmp_path, ranking):
    # As in a registry where one sponsor files the same title for many countries.
    same = [trial(f"NCT{n:08d}", "Walrus cough", sites=[site("Madrid", MADRID)]) for n in range(30)]
    imported(runner, tmp_path, "same.json", same)
    with app.app_context():
        results = finder.find("walrus cough")
        anyone = finder.find("walrus", age=40, sex="FEMALE")
    shown = [found.trial.nct_id for found in results.found]
    assert results.total == 30
    assert len(set(shown)) == 20
    assert set(shown) <= {f"NCT{n:08d}" for n in range(30)}
    assert anyone.total == 30  # no age or sex limit: open to everyone
