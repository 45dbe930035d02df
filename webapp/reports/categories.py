"""Reference data every installation needs: the problem categories."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.models import Category

# Aligned with the smart-city domains the programme funds.
CATEGORIES = [
    ("traffic", "교통·주차", "Traffic and parking", "mobility", "#d9480f"),
    ("safety", "방범·안전", "Crime and safety", "safety", "#c92a2a"),
    ("environment", "환경·대기", "Environment and air", "environment", "#2b8a3e"),
    ("energy", "에너지", "Energy", "energy", "#f08c00"),
    ("water_disaster", "물·재난", "Water and disasters", "water", "#1971c2"),
    ("waste", "쓰레기·폐기물", "Waste", "environment", "#5f3dc4"),
    ("welfare", "복지·돌봄", "Welfare and care", "welfare", "#c2255c"),
    ("living", "생활 불편", "Everyday nuisances", "living", "#495057"),
]


def ensure_categories() -> int:
    """Insert missing categories and refresh names of existing ones; returns how many were added."""
    existing = {c.code: c for c in db.session.scalars(select(Category))}
    added = 0
    for position, (code, name, name_en, domain, color) in enumerate(CATEGORIES):
        category = existing.get(code)
        if category is None:
            category = Category(code=code)
            db.session.add(category)
            added += 1
        category.name, category.name_en, category.domain = name, name_en, domain
        category.color, category.position = color, position
    db.session.commit()
    return added
