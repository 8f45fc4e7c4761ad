"""The price list as CSV, for spreadsheets: one row per product and currency.

CSV carries the list: SKU, name, description, unit, billing period, and per currency the price,
cost and floor. Volume tiers, configuration rules and product facts do not fit a flat sheet: an
import keeps them from the current version for the SKUs it already has (JSON carries everything).
"""

from __future__ import annotations

import csv
import io
from typing import Any

from workspace.errors import Unprocessable

COLUMNS = ("sku", "name", "description", "unit", "billing_period", "currency", "price", "cost", "floor")
_KEPT = ("tiers", "tier_mode", "rules", "facts", "unit_plural", "active")


def export_csv(book: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for product in book.get("products", []):
        for currency, price in product.get("prices", {}).items():
            writer.writerow([
                product.get("sku", ""), product.get("name", ""), product.get("description", ""),
                product.get("unit", ""), product.get("billing_period", ""), currency, price,
                product.get("cost", {}).get(currency, ""), product.get("floor", {}).get(currency, ""),
            ])  # fmt: skip
    return out.getvalue()


def import_csv(text: str, current: dict[str, Any] | None) -> dict[str, Any]:
    """A price book from CSV rows, keeping tiers, rules and facts of known SKUs from `current`."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [column for column in COLUMNS if column not in (reader.fieldnames or [])]
    if missing:
        raise Unprocessable(f"the CSV lacks the column(s) {', '.join(missing)}", errors=[f"header: missing {missing}"])
    known = {product["sku"]: product for product in (current or {}).get("products", []) if "sku" in product}
    products: dict[str, dict[str, Any]] = {}
    currencies: list[str] = []
    for number, row in enumerate(reader, start=2):
        short = [column for column in COLUMNS if row.get(column) is None]
        if short:
            problem = f"row {number} has no cell for {', '.join(short)}"
            raise Unprocessable(problem, errors=[problem])
        sku = (row.get("sku") or "").strip()
        currency = (row.get("currency") or "").strip().upper()
        if not sku or not currency:
            raise Unprocessable(f"row {number} needs a sku and a currency", errors=[f"row {number}: sku/currency"])
        if currency not in currencies:
            currencies.append(currency)
        product = products.setdefault(sku, {
            "sku": sku, "name": row["name"].strip(), "description": row["description"].strip(),
            "unit": row["unit"].strip(), "billing_period": row["billing_period"].strip(),
            "prices": {}, "cost": {}, "floor": {},
            **{key: known[sku][key] for key in _KEPT if sku in known and key in known[sku]},
        })  # fmt: skip
        product["prices"][currency] = row["price"].strip()
        for column in ("cost", "floor"):
            if (row.get(column) or "").strip():
                product[column][currency] = row[column].strip()
    for product in products.values():
        for column in ("cost", "floor", "description"):  # optional: an empty cell means "none"
            if not product[column]:
                del product[column]
    book = {key: value for key, value in (current or {}).items() if key in ("name", "effective_from")}
    return {**book, "currencies": currencies, "products": list(products.values())}
