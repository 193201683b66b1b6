"""Writes the Parquet files the output checks' tests read, with pyarrow
(`pip install pyarrow`; these were written by pyarrow 26.0.1):
python3 make-parquet-fixtures.py  (in this directory)."""
import pyarrow as pa
import pyarrow.parquet as pq

# A model's coefficients: 12 rows, snappy-compressed pages, no banned or count column.
pq.write_table(pa.table({"feature": [f"x{i}" for i in range(12)], "weight": [i / 7 for i in range(12)]}),
               "model.parquet", compression="snappy")
# A frequency table: a "count" column, whose cells the node does not read.
pq.write_table(pa.table({"region": ["north", "south", "east"], "count": [3, 40, 12]}), "frequency.parquet")
# A banned column nested in a struct: the schema's names include the children's.
pq.write_table(pa.table({"id": [1, 2], "info": [{"Patient_ID": 7, "age": 40}, {"Patient_ID": 9, "age": 51}]}),
               "nested.parquet", compression="zstd")
