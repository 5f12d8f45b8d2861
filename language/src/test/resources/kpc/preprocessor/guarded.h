/* A header with an include guard: including it twice defines everything once. */
#ifndef GUARDED_H
#define GUARDED_H

#define GUARDED_VALUE 31

static int guarded_includes = 0;

struct guarded_pair {
    int first;
    int second;
};

static int guarded_sum(struct guarded_pair *pair) {
    guarded_includes++;
    return pair->first + pair->second;
}

#endif
