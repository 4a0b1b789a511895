/*
 * The registry of 9P transports by mount tag: a driver registers its
 * transport once (virtio-9p at probe time), and a file system looks the
 * tag up when it mounts.  A small fixed array under a mutex.
 */
#include <errno.h>
#include <string.h>

#include <uk/9p.h>
#include <uk/lock.h>

static struct uk_mutex reg_lock = UK_MUTEX_INITIALIZER;
static struct uk_9p_trans *transports[UK_9P_TRANS_MAX];
static unsigned int ntrans;

static struct uk_9p_trans *find_locked(const char *tag)
{
	unsigned int i;

	for (i = 0; i < ntrans; i++)
		if (!strcmp(transports[i]->tag, tag))
			return transports[i];
	return NULL;
}

/* Registers t under its tag: 0, -EINVAL, -EEXIST or -ENOSPC. */
int uk_9p_trans_register(struct uk_9p_trans *t)
{
	int rc = 0;

	if (!t || !t->ops || !t->ops->rpc || !t->max_requests ||
	    !t->tag[0] || memchr(t->tag, '\0', sizeof(t->tag)) == NULL)
		return -EINVAL;
	uk_mutex_lock(&reg_lock);
	if (t->_registered)
		rc = -EINVAL;
	else if (find_locked(t->tag))
		rc = -EEXIST;
	else if (ntrans == UK_9P_TRANS_MAX)
		rc = -ENOSPC;
	if (!rc) {
		transports[ntrans++] = t;
		t->_registered = 1;
	}
	uk_mutex_unlock(&reg_lock);
	return rc;
}

/* Removes t and releases it: 0 or -ENOENT. */
int uk_9p_trans_unregister(struct uk_9p_trans *t)
{
	unsigned int i;
	int rc = -ENOENT;

	uk_mutex_lock(&reg_lock);
	for (i = 0; i < ntrans; i++) {
		if (transports[i] == t) {
			transports[i] = transports[--ntrans];
			transports[ntrans] = NULL;
			t->_registered = 0;
			rc = 0;
			break;
		}
	}
	uk_mutex_unlock(&reg_lock);
	if (!rc && t->ops->release)
		t->ops->release(t);
	return rc;
}

/* The transport under tag, or NULL. */
struct uk_9p_trans *uk_9p_trans_find(const char *tag)
{
	struct uk_9p_trans *t;

	if (!tag)
		return NULL;
	uk_mutex_lock(&reg_lock);
	t = find_locked(tag);
	uk_mutex_unlock(&reg_lock);
	return t;
}
