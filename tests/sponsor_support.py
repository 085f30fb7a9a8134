"""Test data for the sponsor features: a second trial with no content of its own.

TEST DATA ONLY: the record is the shipped ReALL_CART record edited here, with another NCT id,
other age and sex limits and healthy volunteers. It describes no real trial.
"""

import json
from pathlib import Path

from tests.conftest import NCT, ROOT

TEST_NCT = "NCT09990001"
RECORD_TEXT = (ROOT / "content" / "trials" / NCT / "record.json").read_text(encoding="utf-8")
RECORD = json.loads(RECORD_TEXT)


def sample_record(nct_id: str = TEST_NCT, **eligibility) -> dict:
    """Return the edited copy: ages 18 to 65, women only, healthy volunteers taken."""
    record = json.loads(RECORD_TEXT)  # a copy of its own, faster than deepcopy
    section = record["protocolSection"]
    section["identificationModule"].update(
        nctId=nct_id, briefTitle="TEST DATA: not a real trial", acronym="TESTDATA"
    )
    section["identificationModule"].pop("officialTitle", None)
    section["designModule"]["phases"] = ["PHASE2"]
    section["designModule"]["designInfo"]["allocation"] = "RANDOMIZED"
    section["designModule"]["designInfo"]["maskingInfo"]["masking"] = "DOUBLE"
    section["designModule"]["enrollmentInfo"]["count"] = 120
    section["eligibilityModule"].update(
        {
            "minimumAge": "18 Years",
            "maximumAge": "65 Years",
            "sex": "FEMALE",
            "healthyVolunteers": True,
        }
        | eligibility
    )
    return record


def import_test_trial(runner, tmp_path: Path, record: dict | None = None) -> str:
    """Import the test record with `flask trials import`; return its NCT id."""
    record = record or sample_record()
    path = tmp_path / "test-record.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    result = runner.invoke(args=["trials", "import", str(path)])
    assert result.exit_code == 0, result.output
    return record["protocolSection"]["identificationModule"]["nctId"]
