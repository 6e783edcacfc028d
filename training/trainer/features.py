"""Silver customer-events Parquet (as the ingest Lambda writes it) -> one row of features per customer + churn label."""
import glob
import os

import numpy as np
import pyarrow.compute as pc
import pyarrow.parquet as pq

PLANS = {"free": 0.0, "basic": 1.0, "pro": 2.0, "enterprise": 3.0}
FEATURES = [
    "tenure_months",
    "events",
    "logins",
    "purchases_usd",
    "session_minutes_mean",
    "support_tickets_30d",
    "is_trial",
    "plan",
]


def read_silver(train_dir: str):
    files = sorted(glob.glob(os.path.join(train_dir, "**", "*.parquet"), recursive=True))
    if not files:
        raise SystemExit(f"no Parquet file under {train_dir}")
    tables = [pq.read_table(path) for path in files]
    columns = ["customer_id", "event_time", "event_type", "plan", "amount_usd", "session_minutes", "tenure_months", "support_tickets_30d", "is_trial"]
    return [table.select(columns) for table in tables], len(files)


def customer_features(train_dir: str):
    """Features from every event but cancellations; the label is whether the customer cancelled."""
    tables, _ = read_silver(train_dir)
    rows = {}
    for table in tables:
        data = table.to_pydict()
        for i in range(table.num_rows):
            customer = data["customer_id"][i]
            row = rows.setdefault(customer, {"label": 0.0, "tenure_months": 0.0, "events": 0.0, "logins": 0.0, "purchases_usd": 0.0, "session_sum": 0.0, "session_n": 0.0, "support_tickets_30d": 0.0, "is_trial": 0.0, "plan": 0.0, "last": ""})
            if data["event_type"][i] == "cancellation":
                row["label"] = 1.0
                continue
            row["events"] += 1
            row["logins"] += 1 if data["event_type"][i] == "login" else 0
            row["purchases_usd"] += data["amount_usd"][i] or 0.0
            if data["session_minutes"][i] is not None:
                row["session_sum"] += data["session_minutes"][i]
                row["session_n"] += 1
            row["tenure_months"] = max(row["tenure_months"], float(data["tenure_months"][i]))
            row["support_tickets_30d"] = max(row["support_tickets_30d"], float(data["support_tickets_30d"][i] or 0))
            when = str(data["event_time"][i])
            if when >= row["last"]:
                row["last"] = when
                row["is_trial"] = 1.0 if data["is_trial"][i] else 0.0
                row["plan"] = PLANS[data["plan"][i]]
    customers = sorted(rows)
    x = np.array(
        [[rows[c]["tenure_months"], rows[c]["events"], rows[c]["logins"], rows[c]["purchases_usd"], rows[c]["session_sum"] / max(rows[c]["session_n"], 1.0), rows[c]["support_tickets_30d"], rows[c]["is_trial"], rows[c]["plan"]] for c in customers],
        dtype=np.float32,
    )
    y = np.array([rows[c]["label"] for c in customers], dtype=np.float32)
    return customers, x, y
