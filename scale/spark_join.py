#!/usr/bin/env python3
"""paradup scale-out, step 2: the candidate join, on Spark.

    paradup fingerprint ROOT --out SHARDS --shard I/N     (on N machines)
    spark-submit scale/spark_join.py SHARDS CANDIDATES    (this job)
    paradup verify --candidates CANDIDATES

Reads the fingerprint shards and writes what `paradup verify` needs: exact
groups, candidate pairs, oversized LSH buckets, the files worth reading again,
the shard manifests and a summary. It reproduces paradup's single-machine
candidate generation (src/matching/exact.rs and src/matching/lsh.rs) exactly,
so `verify` reports what `scan` would. The rules and the output schemas are in
scale/README.md.

Run as `python3 scale/spark_join.py SHARDS CANDIDATES` it starts its own Spark
(master `local[*]`, or $PARADUP_SPARK_MASTER); under spark-submit the master is
spark-submit's. SHARDS and CANDIDATES may be any Hadoop-supported URI.
"""

import json
import os
import sys
import time

from pyspark import StorageLevel
from pyspark.sql import SparkSession, Window
from pyspark.sql import functions as F

# Must equal src/matching/lsh.rs: buckets with at most MAX_BUCKET members give
# all their pairs; bigger ones pair each member with its next WINDOW members
# and with the bucket's first member.
MAX_BUCKET = 64
WINDOW = 8

USAGE = "usage: spark_join.py SHARDS_DIR CANDIDATES_DIR"


def chosen_master():
    """The master to set on the builder, or None to leave it to spark-submit.

    spark-submit starts the JVM first and hands its gateway to Python; its
    --master (or spark-defaults.conf) must win, so nothing is set then.
    """
    if "PYSPARK_GATEWAY_PORT" in os.environ:
        if os.environ.get("PARADUP_SPARK_MASTER"):
            print("spark_join: PARADUP_SPARK_MASTER ignored under "
                  "spark-submit (use --master)", file=sys.stderr)
        return None
    return os.environ.get("PARADUP_SPARK_MASTER") or "local[*]"


class Folder:
    """A folder on any Hadoop file system; plain Python handles local ones.

    Local files are read and written directly so no Hadoop checksum files
    (.crc) land next to manifest.json; elsewhere the Hadoop FileSystem API and
    Spark do the work.
    """

    def __init__(self, spark, uri):
        self.spark = spark
        jvm = spark.sparkContext._jvm
        self._path_class = jvm.org.apache.hadoop.fs.Path
        path = self._path_class(uri)
        conf = spark.sparkContext._jsc.hadoopConfiguration()
        self.fs = path.getFileSystem(conf)
        # Qualified, so a scheme-less path means what the cluster's default
        # file system says, not necessarily the local disk.
        self.root = self.fs.makeQualified(path)
        self.local = self.root.toUri().getScheme() == "file"

    def uri(self, name=None):
        """The URI of the folder, or of `name` (a file name or glob) in it."""
        if not name:
            return self.root.toString()
        return self._path_class(self.root, name).toString()

    def _local_path(self, name):
        return os.path.join(self.root.toUri().getPath(), name)

    def names(self, pattern):
        """Sorted names of the entries matching a glob."""
        found = self.fs.globStatus(self._path_class(self.root, pattern)) or []
        return sorted(status.getPath().getName() for status in found)

    def read_texts(self, pattern):
        """{name: text} of the small files matching a glob."""
        if self.local:
            texts = {}
            for name in self.names(pattern):
                with open(self._local_path(name), encoding="utf-8") as f:
                    texts[name] = f.read()
            return texts
        files = self.spark.sparkContext.wholeTextFiles(self.uri(pattern))
        return {uri.rsplit("/", 1)[-1]: text for uri, text in files.collect()}

    def write_text(self, name, text):
        """Writes a small file whole (atomically when local)."""
        if self.local:
            os.makedirs(self.root.toUri().getPath(), exist_ok=True)
            temporary = self._local_path("." + name + ".partial")
            with open(temporary, "w", encoding="utf-8") as f:
                f.write(text)
            os.replace(temporary, self._local_path(name))
            return
        stream = self.fs.create(self._path_class(self.root, name), True)
        try:
            stream.write(bytearray(text.encode("utf-8")))
        finally:
            stream.close()

    def delete(self, name):
        """Removes a file if it is there."""
        self.fs.delete(self._path_class(self.root, name), False)


def read_manifests(shards):
    """The shard manifests, sorted by shard, once the set is known whole.

    A missing shard would silently lose candidates, so the job stops before
    the join rather than after it (verify checks the manifests again).
    """
    parquet = {n[:-len(".parquet")] for n in shards.names("shard-*.parquet")}
    texts = shards.read_texts("shard-*.json")
    described = {n[:-len(".json")] for n in texts}
    if not parquet:
        raise SystemExit(f"spark_join: no shard-*.parquet in {shards.uri()}")
    if parquet != described:
        raise SystemExit("spark_join: shards without a manifest or manifests "
                         f"without a shard: {sorted(parquet ^ described)}")
    manifests = sorted((json.loads(t) for t in texts.values()),
                       key=lambda m: m["shard"])
    numbers = [m["shard"] for m in manifests]
    expected = list(range(manifests[0]["shards"]))
    if numbers != expected:
        raise SystemExit(f"spark_join: shards {numbers} present, "
                         f"{expected} expected")
    return manifests


def distinct_texts(rows):
    """One row per distinct candidate text (fingerprint, heading), as in exact.rs.

    Headings are texts apart from paragraphs of the same words; they never
    carry band keys.

    members: candidate occurrences; first: the earliest (file, doc, paragraph),
    which is how paradup numbers texts; files: sorted distinct file indices;
    bands: the band keys, or null when the text is not eligible for near
    matching. All candidate rows of a text carry the same keys; max only makes
    the choice independent of row order.
    """
    candidates = rows.where(F.col("candidate")).withColumn(
        "heading", F.col("kind") == "heading")
    return candidates.groupBy("fingerprint", "heading").agg(
        F.count(F.lit(1)).alias("members"),
        F.min(F.struct("file", "doc", "paragraph")).alias("first"),
        F.array_sort(F.collect_set("file")).alias("files"),
        F.max(F.when(F.size("bands") > 0, F.col("bands"))).alias("bands"),
    )


def bucket_positions(texts):
    """One row per (band, key, eligible text) in a bucket of two or more.

    pos is the text's place in the bucket in support order (more copies first,
    then the earlier first occurrence: TextGroups::support_order), size the
    bucket's size, head the fingerprint at pos 0, next1..nextWINDOW the
    fingerprints that follow (null past the end). `first` is unique per text,
    so the order, and everything derived from it, is deterministic.
    """
    keyed = texts.where(F.col("bands").isNotNull()).select(
        "fingerprint", "members", "first",
        F.posexplode("bands").alias("band", "key"))
    order = (Window.partitionBy("band", "key")
             .orderBy(F.desc("members"), F.asc("first")))
    whole = order.rowsBetween(Window.unboundedPreceding,
                              Window.unboundedFollowing)
    following = [F.lead("fingerprint", k).over(order).alias(f"next{k}")
                 for k in range(1, WINDOW + 1)]
    return keyed.select(
        "band", "key", "fingerprint",
        (F.row_number().over(order) - 1).alias("pos"),
        F.count(F.lit(1)).over(whole).alias("size"),
        F.first("fingerprint").over(whole).alias("head"),
        *following,
    ).where(F.col("size") >= 2)


def candidate_pairs(placed):
    """Distinct pairs (a, b), a < b, of fingerprints sharing a bucket.

    Small buckets give all pairs through a self-join, bounded by MAX_BUCKET
    squared per bucket. Oversized buckets never go through a join on the
    bucket key (quadratic in the bucket, and a bucket of boilerplate can hold
    millions): their pairs come from the window columns and the head, linear
    in the bucket.
    """
    small = placed.where(F.col("size") <= MAX_BUCKET).select(
        "band", "key", "pos", "fingerprint")
    left, right = small.alias("l"), small.alias("r")
    all_pairs = left.join(
        right,
        (F.col("l.band") == F.col("r.band"))
        & (F.col("l.key") == F.col("r.key"))
        & (F.col("l.pos") < F.col("r.pos")),
    ).select(F.col("l.fingerprint").alias("x"),
             F.col("r.fingerprint").alias("y"))

    big = placed.where(F.col("size") > MAX_BUCKET)
    following = F.array(*[f"next{k}" for k in range(1, WINDOW + 1)])
    neighbours = big.select(
        F.col("fingerprint").alias("x"), F.explode(following).alias("y"),
    ).where(F.col("y").isNotNull())
    # The star: (0, j) for j > WINDOW; j <= WINDOW is a neighbour pair already.
    star = big.where(F.col("pos") > WINDOW).select(
        F.col("head").alias("x"), F.col("fingerprint").alias("y"))

    return (all_pairs.unionByName(neighbours).unionByName(star)
            .select(F.least("x", "y").alias("a"),
                    F.greatest("x", "y").alias("b"))
            .distinct())


def oversized_buckets(placed):
    """Buckets over MAX_BUCKET: boilerplate families, so verify says."""
    heads = (F.col("size") > MAX_BUCKET) & (F.col("pos") == 0)
    return placed.where(heads).select(
        F.col("band").cast("int").alias("band"),
        F.col("key").cast("int").alias("key"),
        F.col("size").cast("long").alias("size"),
        F.col("fingerprint").alias("first_fingerprint"),
    )


def main(argv):
    if len(argv) != 3:
        print(USAGE, file=sys.stderr)
        return 2
    started = time.time()
    builder = SparkSession.builder.appName("paradup-join")
    master = chosen_master()
    if master:
        builder = builder.master(master)
    spark = builder.getOrCreate()
    shards, out = Folder(spark, argv[1]), Folder(spark, argv[2])

    manifests = read_manifests(shards)
    # manifest.json is written last: without it verify refuses the folder, so
    # a run that fails half-way cannot leave new outputs next to an old
    # manifest.
    out.delete("manifest.json")

    rows = spark.read.parquet(shards.uri("shard-*.parquet")).select(
        "file", "path", "doc", "paragraph", "fingerprint", "candidate",
        "kind", "bands")
    texts = distinct_texts(rows).persist(StorageLevel.MEMORY_AND_DISK)

    # Sorted writes make the content deterministic; the outputs bounded by the
    # number of files or buckets go to one Parquet file each.
    (texts.where(F.col("members") >= 2)
     .select("fingerprint", "heading",
             F.col("members").cast("long").alias("members"), "files")
     .orderBy("fingerprint", "heading")
     .write.mode("overwrite").parquet(out.uri("exact_groups")))

    placed = bucket_positions(texts).persist(StorageLevel.MEMORY_AND_DISK)
    (candidate_pairs(placed).orderBy("a", "b")
     .write.mode("overwrite").parquet(out.uri("pairs")))
    (oversized_buckets(placed).orderBy("band", "key").coalesce(1)
     .write.mode("overwrite").parquet(out.uri("oversized_buckets")))
    placed.unpersist()

    # Later steps read the outputs back instead of computing them again.
    exact = spark.read.parquet(out.uri("exact_groups"))
    pairs = spark.read.parquet(out.uri("pairs"))
    paragraph = F.lit(False).alias("heading")
    wanted = (exact.select("fingerprint", "heading")
              .unionByName(pairs.select(F.col("a").alias("fingerprint"), paragraph))
              .unionByName(pairs.select(F.col("b").alias("fingerprint"), paragraph))
              .distinct())
    file_numbers = (texts.join(wanted, ["fingerprint", "heading"], "left_semi")
                    .select(F.explode("files").alias("file")).distinct())
    paths = rows.select("file", "path").distinct()
    (file_numbers.join(paths, "file").select("file", "path")
     .orderBy("file").coalesce(1)
     .write.mode("overwrite").parquet(out.uri("files")))

    totals = texts.agg(F.count(F.lit(1)).alias("texts"),
                       F.sum("members").alias("candidate_rows")).first()
    texts.unpersist()
    summary = {
        "shards": len(manifests),
        "rows": rows.count(),
        "candidate_rows": int(totals["candidate_rows"] or 0),
        "texts": totals["texts"],
        "exact_groups": exact.count(),
        "pairs": pairs.count(),
        "oversized_buckets":
            spark.read.parquet(out.uri("oversized_buckets")).count(),
        "files": spark.read.parquet(out.uri("files")).count(),
    }
    summary["seconds"] = round(time.time() - started, 3)
    out.write_text("summary.json", json.dumps(summary, indent=2) + "\n")
    out.write_text("manifest.json", json.dumps(manifests, indent=2) + "\n")
    spark.stop()
    counts = ", ".join(f"{k} {v}" for k, v in summary.items())
    print(f"paradup join: {counts} -> {out.uri()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
