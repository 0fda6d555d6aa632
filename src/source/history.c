/*
 * The history of a bank's files: one walk over the commits reachable from
 * a revision, newest first and children before parents, diffing each
 * commit against its first parent. See git.h for the rules.
 *
 * The walk is ours rather than git_revwalk's: libgit2 1.5 cannot walk a
 * shallow repository (it reads the missing parents of the boundary
 * commits and fails), while we treat the commits listed in the git dir's
 * "shallow" file as having no parents, as git does.
 *
 * Going back in time, "live" maps the name each file of the revision had
 * at the point reached to its record: a rename moves the record to the
 * old name, an add closes it (older commits touching that name belong to
 * an earlier, deleted file). The walk stops early once no file is live.
 */
#include "source/git.h"
#include "core/fs.h"
#include "core/hash.h"
#include "core/strmap.h"
#include "core/xalloc.h"

#include <git2.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RENAME_LIMIT 1000

typedef struct {
	pk_file_history pub;
	pk_date oldest;   /* the oldest date of a commit that touched the file */
	bool touched;     /* some commit touched it: updated and oldest are set */
	bool has_created; /* the commit that added it was found */
} file_rec;

struct pk_history {
	pk_strmap files;   /* bank path → owned file_rec */
	pk_strmap names;   /* author name → owned copy, shared by the records */
	bool shallow;
	bool from_cache;
};

/* ------------------------------------------------------------------ */
/* Records */

static pk_history *history_new(void)
{
	pk_history *h = pk_xcalloc(1, sizeof(*h));
	pk_strmap_init(&h->files);
	pk_strmap_init(&h->names);
	return h;
}

void pk_history_free(pk_history *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->files.len; i++) {
		file_rec *rec = h->files.entries[i].value;
		pk_vec_release(&rec->pub.contributors);
		free(rec);
	}
	for (i = 0; i < h->names.len; i++)
		free(h->names.entries[i].value);
	pk_strmap_release(&h->files);
	pk_strmap_release(&h->names);
	free(h);
}

const pk_file_history *pk_history_get(const pk_history *h, const char *path)
{
	file_rec *rec = pk_strmap_get(&h->files, path, strlen(path));
	return rec ? &rec->pub : NULL;
}

bool pk_history_is_shallow(const pk_history *h)
{
	return h->shallow;
}

bool pk_history_from_cache(const pk_history *h)
{
	return h->from_cache;
}

static char *intern_name(pk_history *h, const char *name, size_t len)
{
	char *copy = pk_strmap_get(&h->names, name, len);

	if (!copy) {
		copy = pk_xstrndup(name, len);
		pk_strmap_add(&h->names, name, len, copy);
	}
	return copy;
}

static void add_contributor(file_rec *rec, char *name)
{
	size_t i;

	for (i = 0; i < rec->pub.contributors.len; i++)
		if (rec->pub.contributors.items[i] == name)
			return;
	pk_vec_push(&rec->pub.contributors, name);
}

static int date_cmp(pk_date a, pk_date b)
{
	if (a.year != b.year)
		return a.year < b.year ? -1 : 1;
	if (a.month != b.month)
		return a.month < b.month ? -1 : 1;
	return a.day < b.day ? -1 : a.day > b.day;
}

static void touch(file_rec *rec, pk_date date, char *author)
{
	if (!rec->touched || date_cmp(date, rec->pub.updated) > 0)
		rec->pub.updated = date;
	if (!rec->touched || date_cmp(date, rec->oldest) < 0)
		rec->oldest = date;
	rec->touched = true;
	add_contributor(rec, author);
}

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorts the contributors and fills dates the walk could not find: a file
 * never added (merges can hide the add) was created at its oldest touch;
 * an untouched one at the revision's date. */
static void finish(pk_history *h, pk_date fallback)
{
	size_t i;

	for (i = 0; i < h->files.len; i++) {
		file_rec *rec = h->files.entries[i].value;
		if (!rec->touched) {
			rec->pub.updated = rec->oldest = fallback;
			rec->touched = true;
		}
		if (!rec->has_created)
			rec->pub.created = rec->oldest;
		pk_vec_sort(&rec->pub.contributors, compare_names);
	}
}

pk_date pk_history_utc_date(int64_t seconds)
{
	/* Clamped to years 0..9999; then Howard Hinnant's civil_from_days. */
	const int64_t min = -62167219200, max = 253402300799;
	int64_t s = seconds < min ? min : seconds > max ? max : seconds;
	int64_t z = (s >= 0 ? s / 86400 : -((-s + 86399) / 86400)) + 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	pk_date d;

	d.day = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.month = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.year = (int)(yoe + era * 400 + (d.month <= 2));
	return d;
}

/* ------------------------------------------------------------------ */
/* The commit graph, in topological order */

typedef struct {
	git_oid id;
	git_commit *commit; /* owned; NULL until parsed */
	int64_t time;       /* committer time, the order among unrelated commits */
	size_t first_edge;  /* parents are edges[first_edge .. + nparents] */
	unsigned nparents;
	unsigned children;  /* children not yet visited */
} node;

typedef struct {
	git_repository *repo;
	node *nodes;
	size_t len, cap;
	size_t *edges;
	size_t nedges, edges_cap;
	pk_strmap index;   /* raw commit id → node number + 1 */
	pk_strmap shallow; /* raw ids of the boundary commits of a shallow clone */
	size_t *heap;      /* nodes ready to visit, newest on top */
	size_t heap_len, heap_cap;
} graph;

static void graph_release(graph *g)
{
	size_t i;

	for (i = 0; i < g->len; i++)
		git_commit_free(g->nodes[i].commit);
	free(g->nodes);
	free(g->edges);
	free(g->heap);
	pk_strmap_release(&g->index);
	pk_strmap_release(&g->shallow);
}

/* Reads the ids listed in the "shallow" file of the git dir. */
static void load_shallow(graph *g)
{
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	const char *p;
	git_oid id;

	pk_path_join(&path, git_repository_commondir(g->repo), "shallow");
	if (pk_fs_read(&text, path.ptr, NULL) == PK_OK) {
		for (p = text.ptr; (size_t)(text.ptr + text.len - p) >= GIT_OID_HEXSZ; p++) {
			if (git_oid_fromstrn(&id, p, GIT_OID_HEXSZ) == 0)
				pk_strmap_set(&g->shallow, (const char *)id.id, GIT_OID_RAWSZ, g);
			p = strchr(p, '\n');
			if (!p)
				break;
		}
	}
	pk_buf_release(&path);
	pk_buf_release(&text);
}

/* The node of id, added unparsed if new (then *added is set). */
static size_t node_of(graph *g, const git_oid *id, bool *added)
{
	uintptr_t n = (uintptr_t)pk_strmap_get(&g->index, (const char *)id->id, GIT_OID_RAWSZ);

	*added = n == 0;
	if (n)
		return n - 1;
	PK_GROW(g->nodes, g->cap, g->len + 1);
	memset(&g->nodes[g->len], 0, sizeof(node));
	git_oid_cpy(&g->nodes[g->len].id, id);
	pk_strmap_add(&g->index, (const char *)id->id, GIT_OID_RAWSZ, (void *)(uintptr_t)(g->len + 1));
	return g->len++;
}

/* Loads commit i and records its parents; new ones go on the todo stack. */
static int parse_node(graph *g, size_t i, pk_vec *todo)
{
	git_commit *c;
	unsigned k, n;
	bool added;

	if (git_commit_lookup(&c, g->repo, &g->nodes[i].id) < 0)
		return PK_ERROR;
	n = git_commit_parentcount(c);
	if (pk_strmap_get(&g->shallow, (const char *)g->nodes[i].id.id, GIT_OID_RAWSZ))
		n = 0;
	g->nodes[i].commit = c;
	g->nodes[i].time = git_commit_time(c);
	g->nodes[i].first_edge = g->nedges;
	g->nodes[i].nparents = n;
	PK_GROW(g->edges, g->edges_cap, g->nedges + n);
	for (k = 0; k < n; k++) {
		size_t p = node_of(g, git_commit_parent_id(c, k), &added);
		g->edges[g->nedges++] = p;
		if (added)
			pk_vec_push(todo, (void *)(uintptr_t)p);
	}
	return PK_OK;
}

/* Loads every commit reachable from tip, without recursion. */
static int collect(graph *g, const git_oid *tip)
{
	pk_vec todo = PK_VEC_INIT;
	bool added;
	int rc = PK_OK;

	pk_vec_push(&todo, (void *)(uintptr_t)node_of(g, tip, &added));
	while (todo.len && rc == PK_OK)
		rc = parse_node(g, (size_t)(uintptr_t)todo.items[--todo.len], &todo);
	pk_vec_release(&todo);
	return rc;
}

static bool newer(const graph *g, size_t a, size_t b)
{
	if (g->nodes[a].time != g->nodes[b].time)
		return g->nodes[a].time > g->nodes[b].time;
	return a < b;
}

static void heap_push(graph *g, size_t n)
{
	size_t i = g->heap_len++;

	PK_GROW(g->heap, g->heap_cap, g->heap_len);
	for (; i > 0 && newer(g, n, g->heap[(i - 1) / 2]); i = (i - 1) / 2)
		g->heap[i] = g->heap[(i - 1) / 2];
	g->heap[i] = n;
}

static size_t heap_pop(graph *g)
{
	size_t top = g->heap[0], last = g->heap[--g->heap_len], i = 0, c;

	while ((c = 2 * i + 1) < g->heap_len) {
		if (c + 1 < g->heap_len && newer(g, g->heap[c + 1], g->heap[c]))
			c++;
		if (!newer(g, g->heap[c], last))
			break;
		g->heap[i] = g->heap[c];
		i = c;
	}
	if (g->heap_len)
		g->heap[i] = last;
	return top;
}

/* ------------------------------------------------------------------ */
/* Applying one commit */

typedef struct {
	pk_history *h;
	graph g;
	pk_strmap live;   /* bank path at the point reached → file_rec or NULL */
	size_t live_count;
	const char *prefix;
	git_diff_options diff_opts;
	git_diff_find_options find_opts;
} hwalk;

static file_rec *live_take(hwalk *w, const char *path)
{
	file_rec *rec = pk_strmap_get(&w->live, path, strlen(path));

	if (rec) {
		pk_strmap_set(&w->live, path, strlen(path), NULL);
		w->live_count--;
	}
	return rec;
}

static void live_put(hwalk *w, const char *path, file_rec *rec)
{
	/* Only merges can bring two files to one old name; keep the first. */
	if (pk_strmap_get(&w->live, path, strlen(path)))
		return;
	pk_strmap_set(&w->live, path, strlen(path), rec);
	w->live_count++;
}

static void apply_delta(hwalk *w, const git_diff_delta *d, pk_date date, char *author)
{
	const char *path = d->new_file.path;
	file_rec *rec;

	switch (d->status) {
	case GIT_DELTA_MODIFIED:
	case GIT_DELTA_TYPECHANGE:
		if ((rec = pk_strmap_get(&w->live, path, strlen(path))))
			touch(rec, date, author);
		break;
	case GIT_DELTA_ADDED:
	case GIT_DELTA_COPIED:
		if ((rec = live_take(w, path))) {
			touch(rec, date, author);
			rec->pub.created = date;
			rec->has_created = true;
		}
		break;
	case GIT_DELTA_RENAMED:
		if ((rec = live_take(w, path))) {
			touch(rec, date, author);
			live_put(w, d->old_file.path, rec);
		}
		break;
	default:
		break;
	}
}

/* The bank folder of commit's tree in *out, owned; NULL if the commit has
 * no such folder. */
static int bank_tree_of(hwalk *w, git_commit *commit, git_tree **out)
{
	git_tree *top = NULL;
	git_tree_entry *entry = NULL;
	int rc = git_commit_tree(&top, commit);

	*out = NULL;
	if (rc < 0 || !*w->prefix) {
		*out = top;
		return rc;
	}
	rc = git_tree_entry_bypath(&entry, top, w->prefix);
	if (rc == 0 && git_tree_entry_type(entry) == GIT_OBJECT_TREE)
		rc = git_tree_lookup(out, w->g.repo, git_tree_entry_id(entry));
	else if (rc == 0 || rc == GIT_ENOTFOUND)
		rc = 0;
	git_tree_entry_free(entry);
	git_tree_free(top);
	return rc;
}

/* True if a parent other than the first already has the merge's version
 * of the changed file: the change came from that branch, whose commits
 * are credited instead. */
static bool from_other_parent(hwalk *w, const node *n, const git_diff_delta *d)
{
	unsigned k;
	bool same = false;

	for (k = 1; k < n->nparents && !same; k++) {
		const node *p = &w->g.nodes[w->g.edges[n->first_edge + k]];
		git_tree *tree = NULL;
		git_tree_entry *entry = NULL;
		if (bank_tree_of(w, p->commit, &tree) == 0 && tree &&
		    git_tree_entry_bypath(&entry, tree, d->new_file.path) == 0)
			same = git_oid_equal(git_tree_entry_id(entry), &d->new_file.id) &&
			       git_tree_entry_filemode(entry) == d->new_file.mode;
		git_tree_entry_free(entry);
		git_tree_free(tree);
	}
	return same;
}

static void apply_diff(hwalk *w, const node *n, git_diff *diff)
{
	const git_signature *author = git_commit_author(n->commit);
	pk_date date = pk_history_utc_date(author->when.time);
	char *name = intern_name(w->h, author->name, strlen(author->name));
	size_t i, count = git_diff_num_deltas(diff);

	for (i = 0; i < count; i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);
		if (n->nparents > 1 && from_other_parent(w, n, d))
			continue;
		apply_delta(w, d, date, name);
	}
}

/*
 * Finding what a commit changed. libgit2's tree-to-tree diff reads every
 * entry of both trees, which for a large bank costs far more than the few
 * files a commit touches. So we first compare the trees ourselves,
 * skipping identical folders by id, and hand the diff only the paths that
 * differ (files, or whole folders that appeared, vanished or nest too
 * deep); the diff then pairs renames among them as usual.
 */

typedef struct {
	git_tree *old, *new; /* owned */
	char *dir;           /* owned; the folder's path inside the bank */
	int depth;
} cmp_frame;

typedef struct {
	git_repository *repo;
	pk_vec frames;  /* cmp_frame *, still to compare */
	pk_vec *out;    /* owned char *: paths where the trees differ */
	pk_buf path;
} tree_cmp;

static void frame_free(cmp_frame *f)
{
	git_tree_free(f->old);
	git_tree_free(f->new);
	free(f->dir);
	free(f);
}

static int push_frame(tree_cmp *c, const git_oid *old, const git_oid *new, const char *dir,
		      int depth)
{
	cmp_frame *f = pk_xcalloc(1, sizeof(*f));

	pk_vec_push(&c->frames, f);
	f->dir = pk_xstrdup(dir);
	f->depth = depth;
	if (git_tree_lookup(&f->old, c->repo, old) < 0 || git_tree_lookup(&f->new, c->repo, new) < 0)
		return PK_ERROR;
	return PK_OK;
}

static void set_path(tree_cmp *c, const char *dir, const char *name)
{
	pk_buf_clear(&c->path);
	if (*dir) {
		pk_buf_puts(&c->path, dir);
		pk_buf_putc(&c->path, '/');
	}
	pk_buf_puts(&c->path, name);
}

/* Git's order of tree entries: by name, a folder's name read as if it
 * ended in '/'. Both trees of a frame are in this order, so one merge
 * pass pairs their entries. */
static int entry_cmp(const git_tree_entry *a, const git_tree_entry *b)
{
	const char *x = git_tree_entry_name(a), *y = git_tree_entry_name(b);
	size_t lx = strlen(x), ly = strlen(y), n = lx < ly ? lx : ly;
	int c = memcmp(x, y, n), cx, cy;

	if (c)
		return c;
	cx = lx > n ? (unsigned char)x[n] : git_tree_entry_type(a) == GIT_OBJECT_TREE ? '/' : 0;
	cy = ly > n ? (unsigned char)y[n] : git_tree_entry_type(b) == GIT_OBJECT_TREE ? '/' : 0;
	return cx - cy;
}

static void add_changed(tree_cmp *c, const cmp_frame *f, const git_tree_entry *e)
{
	set_path(c, f->dir, git_tree_entry_name(e));
	pk_vec_push(c->out, pk_xstrdup(c->path.ptr));
}

/* Compares two entries of the same name and type class. */
static int compare_pair(tree_cmp *c, const cmp_frame *f, const git_tree_entry *o,
			const git_tree_entry *e)
{
	if (git_oid_equal(git_tree_entry_id(o), git_tree_entry_id(e)) &&
	    git_tree_entry_filemode(o) == git_tree_entry_filemode(e))
		return PK_OK;
	if (git_tree_entry_type(o) == GIT_OBJECT_TREE && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    f->depth < PK_GIT__MAX_DEPTH) {
		set_path(c, f->dir, git_tree_entry_name(e));
		return push_frame(c, git_tree_entry_id(o), git_tree_entry_id(e), c->path.ptr,
				  f->depth + 1);
	}
	add_changed(c, f, e);
	return PK_OK;
}

static int compare_frame(tree_cmp *c, const cmp_frame *f)
{
	size_t i = 0, j = 0, no = git_tree_entrycount(f->old), nn = git_tree_entrycount(f->new);
	int rc = PK_OK;

	while ((i < no || j < nn) && rc == PK_OK) {
		const git_tree_entry *o = i < no ? git_tree_entry_byindex(f->old, i) : NULL;
		const git_tree_entry *e = j < nn ? git_tree_entry_byindex(f->new, j) : NULL;
		int order = !o ? 1 : !e ? -1 : entry_cmp(o, e);
		if (order < 0) {
			add_changed(c, f, o);
			i++;
		} else if (order > 0) {
			add_changed(c, f, e);
			j++;
		} else {
			rc = compare_pair(c, f, o, e);
			i++;
			j++;
		}
	}
	return rc;
}

/* Appends to out (owned strings) the paths where old and new differ. */
static int changed_paths(git_repository *repo, git_tree *old, git_tree *new, pk_vec *out)
{
	tree_cmp c = { repo, PK_VEC_INIT, out, PK_BUF_INIT };
	int rc = push_frame(&c, git_tree_id(old), git_tree_id(new), "", 1);

	while (rc == PK_OK && c.frames.len) {
		cmp_frame *f = c.frames.items[--c.frames.len];
		rc = compare_frame(&c, f);
		frame_free(f);
	}
	while (c.frames.len)
		frame_free(c.frames.items[--c.frames.len]);
	pk_vec_release(&c.frames);
	pk_buf_release(&c.path);
	return rc;
}

/* Diffs the bank folders base → tree (either may be NULL), limited to the
 * paths that differ when both exist, and applies the result. */
static int diff_banks(hwalk *w, const node *n, git_tree *base, git_tree *tree)
{
	pk_vec changed = PK_VEC_INIT;
	git_diff_options opts = w->diff_opts;
	git_diff *diff = NULL;
	size_t i;
	int rc = PK_OK;

	if (base && tree) {
		rc = changed_paths(w->g.repo, base, tree, &changed);
		if (rc < 0 || !changed.len)
			goto done;
		opts.pathspec.strings = (char **)changed.items;
		opts.pathspec.count = changed.len;
	}
	rc = git_diff_tree_to_tree(&diff, w->g.repo, base, tree, &opts);
	if (rc == 0)
		rc = git_diff_find_similar(diff, &w->find_opts);
	if (rc == 0)
		apply_diff(w, n, diff);
done:
	git_diff_free(diff);
	for (i = 0; i < changed.len; i++)
		free(changed.items[i]);
	pk_vec_release(&changed);
	return rc < 0 ? PK_ERROR : PK_OK;
}

static int visit(hwalk *w, size_t i)
{
	const node *n = &w->g.nodes[i];
	git_tree *tree = NULL, *base = NULL;
	int rc = bank_tree_of(w, n->commit, &tree);

	if (rc == 0 && n->nparents)
		rc = bank_tree_of(w, w->g.nodes[w->g.edges[n->first_edge]].commit, &base);
	if (rc == 0 && (base || tree) &&
	    !(base && tree && git_oid_equal(git_tree_id(base), git_tree_id(tree))))
		rc = diff_banks(w, n, base, tree);
	git_tree_free(base);
	git_tree_free(tree);
	return rc < 0 ? PK_ERROR : PK_OK;
}

/* Visits the commits, children before parents, newest first among the
 * ready ones, until none is left or no file is live. */
static int walk_commits(hwalk *w)
{
	graph *g = &w->g;
	size_t i, k;
	int rc = PK_OK;

	for (i = 0; i < g->nedges; i++)
		g->nodes[g->edges[i]].children++;
	for (i = 0; i < g->len; i++)
		if (g->nodes[i].children == 0)
			heap_push(g, i);
	while (g->heap_len && w->live_count && rc == PK_OK) {
		const node *n = &g->nodes[i = heap_pop(g)];
		rc = visit(w, i);
		for (k = 0; k < n->nparents; k++)
			if (--g->nodes[g->edges[n->first_edge + k]].children == 0)
				heap_push(g, g->edges[n->first_edge + k]);
	}
	return rc;
}

/* ------------------------------------------------------------------ */
/* Computing */

static int track_file(const char *path, const git_tree_entry *entry, void *payload)
{
	hwalk *w = payload;
	git_filemode_t mode = git_tree_entry_filemode(entry);
	file_rec *rec;

	if (mode != GIT_FILEMODE_BLOB && mode != GIT_FILEMODE_BLOB_EXECUTABLE)
		return PK_OK;
	rec = pk_xcalloc(1, sizeof(*rec));
	pk_strmap_add(&w->h->files, path, strlen(path), rec);
	pk_strmap_set(&w->live, path, strlen(path), rec);
	w->live_count++;
	return PK_OK;
}

static void hwalk_init(hwalk *w, pk_history *h, const pk_git__rev *r)
{
	memset(w, 0, sizeof(*w));
	w->h = h;
	w->g.repo = r->repo;
	pk_strmap_init(&w->g.index);
	pk_strmap_init(&w->g.shallow);
	pk_strmap_init(&w->live);
	w->prefix = r->prefix;
	git_diff_options_init(&w->diff_opts, GIT_DIFF_OPTIONS_VERSION);
	w->diff_opts.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_DISABLE_PATHSPEC_MATCH;
	git_diff_find_options_init(&w->find_opts, GIT_DIFF_FIND_OPTIONS_VERSION);
	w->find_opts.flags = GIT_DIFF_FIND_RENAMES;
	w->find_opts.rename_limit = RENAME_LIMIT;
}

static int compute(pk_history **out, const pk_git__rev *r, const char *repo_path,
		   pk_diags *diags)
{
	pk_history *h = history_new();
	hwalk w;
	int rc;

	hwalk_init(&w, h, r);
	h->shallow = git_repository_is_shallow(r->repo) == 1;
	rc = pk_git__walk(r->repo, r->tree, r->display_root, track_file, &w, diags);
	if (rc < 0)
		goto done;
	load_shallow(&w.g);
	rc = collect(&w.g, git_commit_id(r->commit));
	if (rc == PK_OK)
		rc = walk_commits(&w);
	if (rc < 0) {
		rc = pk_diag_add(diags, PK_DIAG_ERROR, repo_path, 0, 0,
				 "cannot read git history: %s", pk_git__error());
		goto done;
	}
	finish(h, pk_history_utc_date(git_commit_author(r->commit)->when.time));
	*out = h;
	h = NULL;
done:
	graph_release(&w.g);
	pk_strmap_release(&w.live);
	pk_history_free(h);
	return rc;
}

/* ------------------------------------------------------------------ */
/* The cache file
 *
 *   praktika-history 1
 *   commit <40 hex digits>
 *   prefix <len>:<bank folder>
 *   files <count>
 *   file <len>:<path> <created YYYY-MM-DD> <updated YYYY-MM-DD> <contributors>
 *   name <len>:<author>            (one line per contributor, sorted)
 *   ...
 *   end <FNV-1a of everything before this line, 8 hex digits>
 *
 * Strings are length-prefixed, so paths and names may hold any byte.
 */

#define CACHE_FILE "praktika-history"
#define CACHE_MAGIC "praktika-history 1\n"
#define CACHE_END_LEN 13 /* "end " + 8 hex digits + "\n" */

static void cache_path(pk_buf *out, const pk_git__rev *r)
{
	pk_path_join(out, git_repository_commondir(r->repo), CACHE_FILE);
}

static void put_string(pk_buf *b, const char *s, size_t len)
{
	pk_buf_printf(b, "%zu:", len);
	pk_buf_put(b, s, len);
}

static void put_date(pk_buf *b, pk_date d)
{
	pk_buf_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static void put_file(pk_buf *b, const pk_strmap_entry *e)
{
	const file_rec *rec = e->value;
	size_t i;

	pk_buf_puts(b, "file ");
	put_string(b, e->key, e->key_len);
	pk_buf_putc(b, ' ');
	put_date(b, rec->pub.created);
	pk_buf_putc(b, ' ');
	put_date(b, rec->pub.updated);
	pk_buf_printf(b, " %zu\n", rec->pub.contributors.len);
	for (i = 0; i < rec->pub.contributors.len; i++) {
		const char *name = rec->pub.contributors.items[i];
		pk_buf_puts(b, "name ");
		put_string(b, name, strlen(name));
		pk_buf_putc(b, '\n');
	}
}

/* Writes the cache; failing is harmless, so it is silent. */
static void cache_write(const pk_history *h, const pk_git__rev *r, const char *commit)
{
	pk_buf b = PK_BUF_INIT, path = PK_BUF_INIT;
	pk_diags ignored = PK_DIAGS_INIT;
	size_t i;

	pk_buf_puts(&b, CACHE_MAGIC);
	pk_buf_printf(&b, "commit %s\nprefix ", commit);
	put_string(&b, r->prefix, strlen(r->prefix));
	pk_buf_printf(&b, "\nfiles %zu\n", h->files.len);
	for (i = 0; i < h->files.len; i++)
		put_file(&b, &h->files.entries[i]);
	pk_buf_printf(&b, "end %08x\n", (unsigned)(pk_hash64(b.ptr, b.len) & 0xffffffffu));
	cache_path(&path, r);
	pk_fs_write_atomic(path.ptr, b.ptr, b.len, &ignored);
	pk_diags_release(&ignored);
	pk_buf_release(&path);
	pk_buf_release(&b);
}

/* A reader that turns ok off at the first thing out of place. */
typedef struct {
	const char *p, *end;
	bool ok;
} cursor;

static void expect(cursor *c, const char *lit, size_t len)
{
	if (c->ok && (size_t)(c->end - c->p) >= len && memcmp(c->p, lit, len) == 0)
		c->p += len;
	else
		c->ok = false;
}

#define EXPECT(c, lit) expect((c), (lit), sizeof(lit) - 1)

/* A decimal number of at most 12 digits, no larger than max. */
static size_t number(cursor *c, size_t max)
{
	size_t v = 0;
	int digits = 0;

	while (c->ok && c->p < c->end && *c->p >= '0' && *c->p <= '9' && digits < 12) {
		v = v * 10 + (size_t)(*c->p++ - '0');
		digits++;
	}
	if (!digits || v > max)
		c->ok = false;
	return c->ok ? v : 0;
}

static pk_slice string(cursor *c)
{
	pk_slice s = { "", 0 };
	size_t len = number(c, (size_t)(c->end - c->p));

	EXPECT(c, ":");
	if (c->ok && (size_t)(c->end - c->p) >= len) {
		s.p = c->p;
		s.len = len;
		c->p += len;
	} else {
		c->ok = false;
	}
	return s;
}

static pk_date date(cursor *c)
{
	pk_date d;

	d.year = (int)number(c, 9999);
	EXPECT(c, "-");
	d.month = (int)number(c, 12);
	EXPECT(c, "-");
	d.day = (int)number(c, 31);
	if (d.month < 1 || d.day < 1)
		c->ok = false;
	return d;
}

static void parse_file(cursor *c, pk_history *h)
{
	file_rec *rec = pk_xcalloc(1, sizeof(*rec));
	pk_slice path;
	size_t i, n;

	EXPECT(c, "file ");
	path = string(c);
	EXPECT(c, " ");
	rec->pub.created = date(c);
	EXPECT(c, " ");
	rec->pub.updated = date(c);
	EXPECT(c, " ");
	n = number(c, (size_t)(c->end - c->p));
	EXPECT(c, "\n");
	for (i = 0; i < n && c->ok; i++) {
		pk_slice name;
		EXPECT(c, "name ");
		name = string(c);
		EXPECT(c, "\n");
		if (c->ok)
			add_contributor(rec, intern_name(h, name.p, name.len));
	}
	if (!c->ok || !path.len || pk_strmap_add(&h->files, path.p, path.len, rec) != PK_OK) {
		c->ok = false;
		pk_vec_release(&rec->pub.contributors);
		free(rec);
	}
}

static void parse_cache(cursor *c, pk_history *h, const pk_git__rev *r, const char *commit)
{
	pk_slice prefix;
	size_t i, n;

	EXPECT(c, CACHE_MAGIC);
	EXPECT(c, "commit ");
	expect(c, commit, GIT_OID_HEXSZ);
	EXPECT(c, "\nprefix ");
	prefix = string(c);
	if (c->ok && (prefix.len != strlen(r->prefix) || memcmp(prefix.p, r->prefix, prefix.len)))
		c->ok = false;
	EXPECT(c, "\nfiles ");
	n = number(c, (size_t)(c->end - c->p));
	EXPECT(c, "\n");
	for (i = 0; i < n && c->ok; i++)
		parse_file(c, h);
	if (c->p != c->end)
		c->ok = false;
}

/* The body of the cache file text, if its closing checksum matches. */
static bool cache_body(const pk_buf *text, cursor *c)
{
	const char *tail;
	char expected[CACHE_END_LEN + 1];

	if (text->len < CACHE_END_LEN)
		return false;
	tail = text->ptr + text->len - CACHE_END_LEN;
	snprintf(expected, sizeof(expected), "end %08x\n",
		 (unsigned)(pk_hash64(text->ptr, text->len - CACHE_END_LEN) & 0xffffffffu));
	if (memcmp(tail, expected, CACHE_END_LEN) != 0)
		return false;
	c->p = text->ptr;
	c->end = tail;
	c->ok = true;
	return true;
}

/* Reads the cache for commit; PK_ENOTFOUND if it is missing, stale or
 * damaged in any way, and *out is untouched. */
static int cache_read(pk_history **out, const pk_git__rev *r, const char *commit)
{
	pk_buf path = PK_BUF_INIT, text = PK_BUF_INIT;
	pk_history *h = history_new();
	cursor c = { NULL, NULL, false };
	int rc = PK_ENOTFOUND;

	cache_path(&path, r);
	if (pk_fs_read(&text, path.ptr, NULL) != PK_OK || !cache_body(&text, &c))
		goto done;
	parse_cache(&c, h, r, commit);
	if (!c.ok)
		goto done;
	h->from_cache = true;
	*out = h;
	h = NULL;
	rc = PK_OK;
done:
	pk_history_free(h);
	pk_buf_release(&text);
	pk_buf_release(&path);
	return rc;
}

/* ------------------------------------------------------------------ */

int pk_history_load(pk_history **out, const char *repo_path, const char *rev,
		    const pk_history_opts *opts, pk_diags *diags)
{
	pk_git__rev r;
	pk_history *h = NULL;
	char commit[GIT_OID_HEXSZ + 1];
	bool cache;
	int rc = pk_git__rev_open(&r, repo_path, rev, diags);

	if (rc < 0)
		goto done;
	git_oid_tostr(commit, sizeof(commit), git_commit_id(r.commit));
	cache = !(opts && (opts->flags & PK_HISTORY_NO_CACHE)) &&
		git_repository_is_shallow(r.repo) != 1;
	if (cache && cache_read(&h, &r, commit) == PK_OK)
		goto done;
	rc = compute(&h, &r, repo_path, diags);
	if (rc == PK_OK && cache)
		cache_write(h, &r, commit);
done:
	if (rc == PK_OK)
		*out = h;
	pk_git__rev_release(&r);
	return rc;
}
