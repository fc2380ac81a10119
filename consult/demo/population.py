"""Illustrative population margins for the youth study, so the fieldwork monitor and the
weights have something to compare with. Plausible, not official: labelled as such."""

from pathlib import Path

from sqlmodel import Session, select

from surveys.models import Campaign
from surveys.population import Population, parse_margins_csv, save_population

MARGINS_FILE = Path(__file__).with_name("population_youth.csv")
SOURCE = "Chiffres illustratifs inspirés du recensement (INSEE RP), 14–25 ans, Thionville"


def load_population(session: Session, series: str = "temps-libre") -> None:
    margins, problems = parse_margins_csv(MARGINS_FILE.read_bytes())
    assert not problems, problems  # the file ships with the code
    population = Population(margins, SOURCE, 2021, illustrative=True)
    for campaign_id in session.exec(select(Campaign.id).where(Campaign.series == series)):
        save_population(session, campaign_id, population)
