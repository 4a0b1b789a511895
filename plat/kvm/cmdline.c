/*
 * The boot command line (QEMU's -append).  It is copied out of the start
 * info at boot and split in place into main()'s argv and a table of
 * options: words key=value whose key holds a dot (ukprom.port=9200) belong
 * to libraries and are read with uk_plat_option(); every other word is an
 * argument of the application, and "--" ends options so an application
 * can be given a dotted key=value word of its own.  A key may repeat:
 * uk_plat_option() reads the last value, uk_plat_option_nth() each in
 * turn.  The words QEMU's microvm appends to describe its virtio-mmio
 * devices (virtio_mmio.device=...) come after whatever the user wrote,
 * a "--" included, so they are options wherever they appear.
 */
#include <uk/plat/cmdline.h>

#include <kvm/plat.h>

struct uk_kvm_cmdline _uk_kvm_cmdline;

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* The '=' of a key=value word whose non-empty key holds a '.', or NULL. */
static char *option_eq(char *w)
{
	char *p;
	int dot = 0;

	for (p = w; *p && *p != '='; p++)
		if (*p == '.')
			dot = 1;
	return (*p == '=' && p != w && dot) ? p : NULL;
}

/* Whether w is a word the machine appends (an option even after --). */
static int machine_word(const char *w)
{
	static const char key[] = "virtio_mmio.device=";
	size_t i;

	for (i = 0; i < sizeof(key) - 1; i++)
		if (w[i] != key[i])
			return 0;
	return 1;
}

/* See kvm/plat.h; returns the number of words dropped for lack of room. */
int uk_kvm_cmdline_parse(char *line, const char *name,
			 struct uk_kvm_cmdline *cl)
{
	char *p = line;
	int dropped = 0, args_only = 0;

	cl->argc = 0;
	cl->nopts = 0;
	cl->argv[cl->argc++] = (char *)name;
	while (p && *p) {
		char *w, *o, *eq;
		int quoted = 0;

		while (is_blank(*p))
			p++;
		if (!*p)
			break;
		/* Copies the word onto itself without its quotes. */
		w = o = p;
		while (*p && (quoted || !is_blank(*p))) {
			if (*p == '"')
				quoted = !quoted;
			else
				*o++ = *p;
			p++;
		}
		if (*p)
			p++;
		*o = '\0';

		if (!args_only && streq(w, "--")) {
			args_only = 1;
			continue;
		}
		eq = args_only && !machine_word(w) ? NULL : option_eq(w);
		if (eq) {
			if (cl->nopts == UK_KVM_OPT_MAX) {
				dropped++;
				continue;
			}
			*eq = '\0';
			cl->opt_key[cl->nopts] = w;
			cl->opt_val[cl->nopts++] = eq + 1;
		} else {
			if (cl->argc == UK_KVM_ARGV_MAX) {
				dropped++;
				continue;
			}
			cl->argv[cl->argc++] = w;
		}
	}
	cl->argv[cl->argc] = NULL;
	return dropped;
}

/* The value of the last key=value for key in cl, or NULL. */
const char *uk_kvm_cmdline_option(const struct uk_kvm_cmdline *cl,
				  const char *key)
{
	int i;

	if (!key)
		return NULL;
	for (i = cl->nopts - 1; i >= 0; i--)
		if (streq(cl->opt_key[i], key))
			return cl->opt_val[i];
	return NULL;
}

/* The n-th (from 0, in line order) value for key in cl, or NULL. */
const char *uk_kvm_cmdline_option_nth(const struct uk_kvm_cmdline *cl,
				      const char *key, unsigned int n)
{
	int i;

	if (!key)
		return NULL;
	for (i = 0; i < cl->nopts; i++)
		if (streq(cl->opt_key[i], key) && !n--)
			return cl->opt_val[i];
	return NULL;
}

/* The boot line's value for key, or NULL. */
const char *uk_plat_option(const char *key)
{
	return uk_kvm_cmdline_option(&_uk_kvm_cmdline, key);
}

/* The boot line's n-th value for key, or NULL. */
const char *uk_plat_option_nth(const char *key, unsigned int n)
{
	return uk_kvm_cmdline_option_nth(&_uk_kvm_cmdline, key, n);
}
