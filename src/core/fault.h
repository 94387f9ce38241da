/*
 * fault: named fault points for crash tests (DESIGN.md, Concurrency).
 * In a test build (GG_TEST_BUILD) gg_fault("payrun.approve.after_entries")
 * kills the process with SIGKILL when the environment variable
 * GUANGGU_FAULT names that point, so a test can see what a crash at that
 * moment leaves behind; in a release build it is a no-op and costs
 * nothing. Points in use: payrun.propose.after_payments,
 * payrun.approve.after_entries, payrun.result.between_rows
 * (docs/payments.md).
 */
#ifndef GG_FAULT_H
#define GG_FAULT_H

#ifdef GG_TEST_BUILD
/** Kills the process (SIGKILL) when GUANGGU_FAULT equals name; returns otherwise. */
void gg_fault_point(const char *name);
#define gg_fault(name) gg_fault_point(name)
#else
#define gg_fault(name) ((void)0)
#endif

#endif
