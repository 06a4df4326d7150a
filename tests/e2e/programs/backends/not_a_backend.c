/* not_a_backend.c - a shared library without prism_backend_entry. */
int not_a_backend_answer(void) { return 42; }
